/**
 * The archive database for a test file: embedded PGlite in memory, or, when
 * DATABASE_URL is set, a fresh schema of that PostgreSQL server, so the same
 * tests prove both (README: `DATABASE_URL=postgres://… npm test`).
 */
import { openDb, type Db } from '../../store/db';

let counter = 0;
export function openTestDb(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDb({ pgliteDir: 'memory://' });
  counter += 1;
  return openDb({ databaseUrl: url, schema: `test_${process.pid}_${Date.now()}_${counter}` });
}
