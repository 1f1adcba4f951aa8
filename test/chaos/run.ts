/**
 * `npm run chaos`: the crash test at full size, figures printed.
 *   npm run chaos -- --cases 100 --kills 20 --database-restarts 2 --concurrency 10
 * Exits 1 if any case was lost or anything doubled.
 */
import { clean, formatReport, runChaos } from './harness';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

async function main(): Promise<void> {
  const options = {
    cases: option('cases', 100),
    kills: option('kills', 20),
    databaseRestarts: option('database-restarts', 2),
    concurrency: option('concurrency', 10),
    log: (line: string) => console.log(`[chaos] ${line}`),
  };
  console.log(`[chaos] ${options.cases} cases, at least ${options.kills} worker kills and ${options.databaseRestarts} database restarts, ${options.concurrency} at a time`);
  const report = await runChaos(options);
  console.log(`\n容错免责 crash test\n${formatReport(report)}\n`);
  for (const failed of report.failedCases) console.log(`  lost: ${failed.caseId}: ${failed.error}`);
  const ok = clean(report);
  console.log(ok ? 'PASS: nothing lost, nothing doubled' : 'FAIL: something was lost or doubled');
  process.exit(ok ? 0 : 1);
}

main().catch((err: Error) => {
  console.error(`[chaos] ${err.stack ?? err.message}`);
  process.exit(1);
});
