/** The embedded HS256 secret: TOKEN_SECRET, or one generated into the data folder on first start. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function tokenSecretFile(dataDir: string): string {
  return path.join(dataDir, 'token-secret');
}

export function loadOrCreateTokenSecret(dataDir: string, configured?: string): Uint8Array {
  if (configured) return new TextEncoder().encode(configured);
  const file = tokenSecretFile(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx' fails if the file exists, so two processes starting together agree on one secret.
    fs.writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return new TextEncoder().encode(fs.readFileSync(file, 'utf8').trim());
}
