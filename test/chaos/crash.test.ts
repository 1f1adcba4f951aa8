/**
 * The short crash test (`npm run chaos` is the full one): a whole case of each
 * jurisdiction through the API while the worker is SIGKILLed (during a send,
 * during document numbering, at random) and the archive database restarted;
 * nothing is lost and nothing doubled.
 */
import { clean, formatReport, runChaos } from './harness';

it('loses no case and doubles no notice, document number or dossier when the worker is killed and the database restarted', async () => {
  const report = await runChaos({ cases: 5, concurrency: 5, kills: 3, databaseRestarts: 1, settleSeconds: 90, log: (line) => (line.includes('still finishing') ? process.stdout.write(`${line}\n`) : undefined) });
  process.stdout.write(`\ncrash test (short)\n${formatReport(report)}\n`);
  expect(report.failedCases).toEqual([]);
  expect(report.kills.total).toBeGreaterThanOrEqual(3);
  expect(report.databaseRestarts).toBeGreaterThanOrEqual(1);
  expect(clean(report)).toBe(true);
}, 600_000);
