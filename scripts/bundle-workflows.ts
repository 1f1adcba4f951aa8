/**
 * Part of `npm run build`: bundles the workflow code once, at build time, into
 * dist/workflow-bundle.js, which the worker loads at start (worker/main.ts)
 * instead of bundling the sources itself: a worker starts in a second or two,
 * and every worker of one build runs byte-identical workflow code.
 */
import fs from 'node:fs';
import { BUILT_BUNDLE_PATH } from '../worker/main';
import { bundleCaseWorkflows } from '../worker/worker';

const quiet = { trace() {}, debug() {}, info() {}, log() {}, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };

async function main(): Promise<void> {
  const started = Date.now();
  const bundle = await bundleCaseWorkflows(quiet);
  fs.writeFileSync(BUILT_BUNDLE_PATH, bundle.code);
  console.log(`[build] workflow bundle ${(bundle.code.length / 1024 / 1024).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s → ${BUILT_BUNDLE_PATH}`);
}

main().catch((err: Error) => {
  console.error(`[build] bundling the workflows failed: ${err.message}`);
  process.exit(1);
});
