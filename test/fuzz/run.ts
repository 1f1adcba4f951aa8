/**
 * `npm run fuzz`: the fuzzing campaign of test/fuzz at length, figures printed.
 *   npm run fuzz -- --requests 10000 [--seed 42]
 * Every failure is counted rather than stopping the run; exits 1 if any request
 * got a 5xx, no answer, or an error that is not problem+json.
 */
import '../support/quiet-runtime';
import { startCampaign } from './campaign';
import { formatFigures } from './requests';

function option(name: string): number | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

async function main(): Promise<void> {
  const requests = option('requests') ?? 10_000;
  const seed = option('seed') ?? Date.now() % 2 ** 31;
  console.log('[fuzz] starting the stack (Temporal dev server, worker, archive database, app)…');
  const campaign = await startCampaign();
  const perOperation = Math.ceil(requests / campaign.operations);
  console.log(`[fuzz] ${campaign.operations} operations × ${perOperation} requests, seed ${seed}`);
  const started = Date.now();
  const figures = await campaign.run(perOperation, {
    seed,
    stopAtFailure: false,
    onProgress: (f) => process.stdout.write(`\r[fuzz] ${f.requests} requests, ${f.serverErrors} 5xx, ${f.hangs} hangs, ${f.notProblems} not problem+json`),
  });
  const seconds = (Date.now() - started) / 1000;
  await campaign.stop();
  console.log(`\n\n容错免责 API fuzzing (seed ${seed})\n${formatFigures(figures, seconds)}\n`);
  for (const failure of figures.failures) console.log(`  ${failure.verdict.ok ? '' : failure.verdict.kind}: ${failure.verdict.ok ? '' : failure.verdict.why}\n    ${failure.request}`);
  const clean = figures.serverErrors + figures.hangs + figures.notProblems === 0;
  console.log(clean ? 'PASS: no 5xx, no hang, every error problem+json' : 'FAIL');
  process.exit(clean ? 0 : 1);
}

main().catch((err: Error) => {
  console.error(`[fuzz] ${err.stack ?? err.message}`);
  process.exit(1);
});
