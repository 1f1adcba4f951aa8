/** Removes the run's workflow bundle (test/support/global-setup.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { SHARED_BUNDLE_VARIABLE } from './shared-bundle';

export default function globalTeardown(): void {
  const file = process.env[SHARED_BUNDLE_VARIABLE];
  if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
