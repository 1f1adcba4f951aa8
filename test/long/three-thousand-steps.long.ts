/**
 * A case of 3,000 steps runs through, at the product's own bounds (a hand-over
 * every 150 steps or 1,500 events, or sooner where the server suggests it): a
 * Hangzhou case with a thousand recusals, a thousand statements and a thousand
 * follow-up visits (杭州 第十四条 回访, a year of them), to its end. Every step
 * is applied once, no run takes more steps than its bound, the timers of the
 * follow-up reminders run across hand-overs, and the view's version only goes
 * up. `npm run test:long`; the short version is test/procedures/hand-over.test.ts.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { actionUpdate, RefusalType, type ActionInputs, type ActionName, type CaseState } from '../../domain/case/contract';
import { findCaseView } from '../../store/case-views';
import { findDossier } from '../../store/dossiers';
import { notificationsForCase } from '../../store/notifications';
import { HAND_OVER_BOUNDS } from '../../workflows/engine/hand-over';
import { CaseDriver, officer, supervisor, withCaseWorker } from '../support/case-driver';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const EventType = temporal.api.enums.v1.EventType;
const EACH = 1_000;
const ALL_CONDITIONS = ['hz-7-1', 'hz-7-2', 'hz-7-3', 'hz-7-4', 'hz-7-5', 'hz-7-6'];

it('runs a case of 3,000 steps to its end across hand-overs', async () => {
  await withCaseWorker(suite.env, suite.db, 'long', async (tq) => {
    const c = await CaseDriver.open(suite.env, suite.db, tq, 'hangzhou-education');
    const versions: number[] = [];
    const started = Date.now();
    /** A repeatable step, sent as the API sends it: again while the case hands over. */
    const send = async <N extends ActionName>(name: N, input: Omit<ActionInputs[N], 'actor'>) => {
      for (;;) {
        try {
          const result = await c.handle.executeUpdate(actionUpdate(name), { args: [{ ...input, actor: officer } as ActionInputs[N]] });
          versions.push(result.version);
          return;
        } catch (err) {
          if (!(err instanceof WorkflowUpdateFailedError && (err.cause as { type?: string }).type === RefusalType.handingOver)) throw err;
        }
      }
    };
    const progress = (what: string) => process.stdout.write(`[long case] ${what} after ${Math.round((Date.now() - started) / 1000)} s\n`);

    const today = await c.today();
    await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' });
    for (let i = 0; i < EACH; i += 1) await send('recordRecusal', { person: { name: `回避人${i}` }, reason: '与被调查对象有利害关系' });
    progress(`${EACH} recusals`);
    await c.act('approveStart', { approved: true, approvedOn: today, capacity: '局党委主要负责人' }, supervisor);
    for (let i = 0; i < EACH; i += 1) await send('recordStatement', { receivedOn: today, summary: `第${i + 1}次听取申请人意见` });
    progress(`${EACH} statements`);
    await c.act('submitInvestigationReport', { submittedOn: today, findings: '先行先试出现失误', recommendation: 'exempt', circumstances: ['hz-6-2'], mitigating: [] });
    await c.act(
      'recordDetermination',
      { decidedOn: today, decidedBy: 'partyCommittee', outcome: 'exempt', circumstances: ['hz-6-2'], mitigating: [], conditions: ALL_CONDITIONS, exclusions: [], reasons: '符合第六条(二)情形及第七条全部条件', complex: false },
      supervisor,
    );
    await c.act('serveNotice', { servedOn: today, servedTo: ['subject'] });
    await c.act('issueCorrectionList', { items: [], noneReason: '失误已主动纠正' });
    await c.act('recordFiling', { filedOn: today, reference: '驻局纪检监察组备案' });
    const state = await c.act('archiveCase', { archivedOn: today, reference: '杭教档〔2026〕3号' });
    expect(state.stage).toBe('followUp');
    for (let i = 0; i < EACH; i += 1) await send('recordFollowUpVisit', { visitedOn: await c.today(), summary: `第${i + 1}次谈心谈话` });
    progress(`${EACH} follow-up visits`);

    // The year of follow-up runs out (the server skips the time): its four reminders fire across the runs, and the case closes.
    const final = (await c.handle.result()) as CaseState;
    progress('closed');
    expect(final).toMatchObject({ closed: true, outcome: 'exempt' });
    expect(final.recusals).toHaveLength(EACH);
    expect(final.statements).toHaveLength(EACH);
    expect(final.followUp?.visits).toHaveLength(EACH);
    expect(final.followUp?.reminders).toHaveLength(4);
    expect((await notificationsForCase(suite.db, c.input.caseId)).filter((n) => n.subject.startsWith('容错回访提醒'))).toHaveLength(4);
    expect(new Set(final.recusals.map((r) => r.person.name)).size).toBe(EACH);

    // Runs: one after another, each within its bounds.
    const runs: { events: temporal.api.history.v1.IHistoryEvent[] }[] = [];
    let runId: string | undefined = (await c.handle.describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
    while (runId) {
      const events = (await suite.env.client.workflow.getHandle(c.input.caseId, runId).fetchHistory()).events ?? [];
      runs.push({ events });
      const last = events.at(-1);
      runId = last?.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW ? (last.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined) : undefined;
    }
    const updates = runs.map((r) => r.events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).length);
    process.stdout.write(`[long case] ${runs.length} runs; steps a run ${Math.min(...updates)}–${Math.max(...updates)}; events a run up to ${Math.max(...runs.map((r) => r.events.length))}\n`);
    expect(updates.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3 * EACH);
    expect(runs.length).toBeGreaterThanOrEqual(Math.floor((3 * EACH) / HAND_OVER_BOUNDS.updates));
    for (const n of updates) expect(n).toBeLessThanOrEqual(HAND_OVER_BOUNDS.updates);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect((await findCaseView(suite.db, c.input.caseId))!.version).toBeGreaterThanOrEqual(versions.at(-1)!);
    expect((await findDossier(suite.db, c.input.caseId))?.followUp?.visits).toHaveLength(EACH);
  });
});
