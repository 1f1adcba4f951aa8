import { rulebookInForce } from './domain/rulebooks';
import { DryRunner } from './services/rulebooks/dry-run';
import { openDb } from './store/db';
import { bundleCaseWorkflows } from './worker/worker';
import { temporalTestServerPath } from './test/support/tools';
import { beijingDate } from './domain/calendar';
(async () => {
  const db = await openDb({ pgliteDir: 'memory://' });
  const bundle = bundleCaseWorkflows();
  const runner = new DryRunner({ testServerPath: temporalTestServerPath, workflowBundle: () => bundle, db });
  for (const j of ['binhai']) {
    const t0 = Date.now();
    const r = await runner.run(rulebookInForce(j, beijingDate(Date.now()))!, { openingDate: beijingDate(Date.now()), path: 'main', samples: j === 'binhai' ? [{ label: '调查组一人', action: 'appointInvestigationGroup', input: { appointedOn: beijingDate(Date.now()), members: [{ name: '甲', declaresNoConflict: true }] } }] : [] }, `${j}-jw`);
    console.log(j, (Date.now() - t0) + 'ms', r.completed, r.outcome, r.stoppedAt, r.steps.map((s) => s.action + '@' + s.on).join(' '), '\n  deadlines', r.deadlines.map((d) => `${d.label}:${d.lastDay}(${d.article})`).join('; '), '\n  docs', r.documents.map((d) => d.title + ' ' + d.number).join('; '), '\n  refusals', JSON.stringify(r.refusals));
  }
  await db.close();
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
