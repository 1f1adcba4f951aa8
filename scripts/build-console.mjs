// Builds the console (办案工作台) into dist/console, which the API serves at `/`:
// its TypeScript checked strictly first (console/tsconfig.json), then bundled by Vite.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = spawnSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', path.join(root, 'console')], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('[build] the console’s TypeScript check failed');
  process.exit(1);
}
const { build } = await import('vite');
await build({ configFile: path.join(root, 'console', 'vite.config.mts'), logLevel: 'warn' });
console.log(`[build] console built into ${path.relative(root, path.join(root, 'dist', 'console'))}`);
