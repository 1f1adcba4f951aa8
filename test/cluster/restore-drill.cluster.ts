/**
 * The short restore drill (`npm run restore-drill` runs it with 1,000 cases):
 * the production topology backed up (base backup and archived WAL), work done
 * after the backup, every process killed and its folder deleted, restored into
 * a fresh cluster; every case, deadline, document number and file is back,
 * and the cases go on to their end with numbers that follow without a gap.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { restoreDrill } from '../restore/drill';

it('restores every case, deadline, document number and file into a fresh cluster, and the cases go on', async () => {
  const started = Date.now();
  const figures = await restoreDrill({
    cases: 30,
    closed: 5,
    halfway: 5,
    dir: fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-restore-drill-')),
    keep: Boolean(process.env.KEEP_CLUSTER_DATA),
    say: (line) => process.stdout.write(`[restore-drill] +${Math.round((Date.now() - started) / 1000)} s ${line}\n`),
  });
  process.stdout.write(`[restore-drill] figures ${JSON.stringify(figures)}\n`);
  expect(figures.casesDifferent).toEqual([]);
  expect(figures.documentsDifferent).toEqual([]);
  // Cases opened and steps taken after the base backup came back through the archived WAL.
  expect([figures.cases, figures.casesBack, figures.openedAfterBackup, figures.stepsAfterBackup]).toEqual([35, 35, 5, 5]);
  expect(figures.documents).toBeGreaterThan(0);
  expect(figures.documentsBack).toBe(figures.documents);
  for (const [jurisdiction, { last, next }] of Object.entries(figures.caseNumbersNext)) expect([jurisdiction, next]).toEqual([jurisdiction, last + 1]);
  expect(figures.casesDrivenToTheirEnd).toBeGreaterThan(0);
}, 900_000);
