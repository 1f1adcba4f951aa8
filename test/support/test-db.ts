/**
 * The archive database for a test file: embedded PGlite in memory, or, when
 * DATABASE_URL is set, a fresh schema of that PostgreSQL server, so the same
 * tests prove both (README: `DATABASE_URL=postgres://… npm test`).
 */
import fs from 'node:fs';
import { migratedPgliteImage, openDb, type Db } from '../../store/db';
import { SHARED_ARCHIVE_IMAGE_VARIABLE } from './shared-artifacts';

let image: Promise<Blob> | undefined;
/** The run's migrated archive image (test/support/global-setup.ts), or, for a file run some other way, one built here. */
function archiveImage(): Promise<Blob> {
  const shared = process.env[SHARED_ARCHIVE_IMAGE_VARIABLE];
  image ??= shared ? fs.promises.readFile(shared).then((bytes) => new Blob([bytes])) : migratedPgliteImage();
  return image;
}

let counter = 0;
export async function openTestDb(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDb({ pgliteDir: 'memory://', pgliteImage: await archiveImage() });
  counter += 1;
  return openDb({ databaseUrl: url, schema: `test_${process.pid}_${Date.now()}_${counter}` });
}
