/**
 * Before any test file: installs the Temporal binaries and PostgreSQL (a no-op
 * when present), and builds once for the whole run what every file would
 * otherwise build for itself:
 * - the workflow bundle: about 4 s of CPU, a sixth of the suite's time when
 *   some thirty files each bundled;
 * - a migrated, empty embedded archive: a new PGlite database spends 3-5 s in
 *   PostgreSQL's initdb and the migrations, and the suite opens dozens; from
 *   the image one opens in well under a second.
 * The files find both by the paths this leaves in the environment, which
 * Jest's workers inherit (test/support/shared-artifacts.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migratedPgliteImage } from '../../store/db';
import { SHARED_ARCHIVE_IMAGE_VARIABLE, SHARED_BUNDLE_VARIABLE } from './shared-artifacts';
import { workflowBundle } from './temporal';

export default async function globalSetup(): Promise<void> {
  // @ts-expect-error: plain ESM script without type declarations
  const tools = await import('../../scripts/tools.mjs');
  tools.ensureTemporalTools();
  tools.ensurePostgres();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-test-run-'));
  // Not yet shared, so these build them exactly as a test file run on its own would.
  // On PostgreSQL (DATABASE_URL, scripts/test-postgres.sh) each test database is a schema of the server: no image.
  const [{ code }, image] = await Promise.all([workflowBundle(), process.env.DATABASE_URL ? undefined : migratedPgliteImage()]);
  const bundleFile = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundleFile, code);
  process.env[SHARED_BUNDLE_VARIABLE] = bundleFile;
  if (image) {
    const imageFile = path.join(dir, 'archive-image.tar');
    fs.writeFileSync(imageFile, Buffer.from(await image.arrayBuffer()));
    process.env[SHARED_ARCHIVE_IMAGE_VARIABLE] = imageFile;
  }
}
