/** Removes what the global setup built for the run (test/support/global-setup.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { SHARED_BUNDLE_VARIABLE } from './shared-artifacts';

export default function globalTeardown(): void {
  const file = process.env[SHARED_BUNDLE_VARIABLE];
  // The bundle and the archive image share the run's folder.
  if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
