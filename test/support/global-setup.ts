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
import { bundleCaseWorkflows } from '../../worker/worker';
import { SHARED_BUNDLE_VARIABLE } from './shared-bundle';

export default async function globalSetup(): Promise<void> {
  // @ts-expect-error: plain ESM script without type declarations
  const tools = await import('../../scripts/tools.mjs');
  tools.ensureTemporalTools();
  tools.ensurePostgres();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-test-bundle-'));
  const { code } = await bundleCaseWorkflows({ log() {}, trace() {}, debug() {}, info() {}, warn: (message) => console.warn(message), error: (message) => console.error(message) });
  const file = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(file, code);
  process.env[SHARED_BUNDLE_VARIABLE] = file;
}
