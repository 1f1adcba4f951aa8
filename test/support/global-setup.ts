/**
 * Before any test file: installs the Temporal binaries and PostgreSQL (a no-op
 * when present), and bundles the workflows once for the whole run. Bundling
 * costs about 4 s of CPU; done in each of some thirty files, it was a sixth of
 * the suite's time. The files read the bundle from the path this leaves in
 * the environment, which Jest's workers inherit (test/support/temporal.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHARED_BUNDLE_VARIABLE } from './shared-bundle';
import { workflowBundle } from './temporal';

export default async function globalSetup(): Promise<void> {
  // @ts-expect-error: plain ESM script without type declarations
  const tools = await import('../../scripts/tools.mjs');
  tools.ensureTemporalTools();
  tools.ensurePostgres();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-test-bundle-'));
  // Not yet shared, so this builds it, exactly as a test file run on its own would.
  const { code } = await workflowBundle();
  const file = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(file, code);
  process.env[SHARED_BUNDLE_VARIABLE] = file;
}
