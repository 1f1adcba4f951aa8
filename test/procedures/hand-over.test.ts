/**
 * A long case hands over to new runs of itself (continue-as-new) and goes on
 * as if nothing happened: the same case id, state, documents and numbers, its
 * deadlines still waited on to the same ends, its view's version never going
 * back, and no step lost or applied twice, also when steps arrive while it
 * hands over. Here with a bound of a few steps a run, so a case of a hundred
 * steps hands over several times; `npm run test:long` runs a case of 3,000
 * steps at the product's own bounds.
 */
import { temporal } from '@temporalio/proto';
import { caseStateQuery, type ActionInputs, type ActionName, type Actor, type CaseState } from '../../domain/case/contract';
import { takeStep } from '../../services/cases/steps';
import { findCaseView } from '../../store/case-views';
import { documentsOfCase } from '../../store/documents';
import { findDossier } from '../../store/dossiers';
import { notificationsForCase } from '../../store/notifications';
import { CaseDriver, officer, supervisor, withCaseWorker } from '../support/case-driver';
import { recordHistory } from '../support/histories';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const run = <T>(fn: (taskQueue: string) => Promise<T>) => withCaseWorker(suite.env, suite.db, 'hand-over', fn);
const EventType = temporal.api.enums.v1.EventType;

const group = [
  { sub: 'member-1', name: '陈调查', declaresNoConflict: true },
  { sub: 'member-2', name: '刘调查', declaresNoConflict: true },
];

/** The runs of a case so far, first to current, each with its history. */
async function runsOf(c: CaseDriver): Promise<{ runId: string; events: temporal.api.history.v1.IHistoryEvent[] }[]> {
  const runs = [];
  let runId: string | undefined = (await c.handle.describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
  while (runId) {
    const events = (await suite.env.client.workflow.getHandle(c.input.caseId, runId).fetchHistory()).events ?? [];
    runs.push({ runId, events });
    const last = events.at(-1);
    runId = last?.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW ? (last.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined) : undefined;
  }
  return runs;
}

describe('a long case handing over to new runs (continue-as-new)', () => {
  it('carries its state, deadlines, documents and view version across hand-overs, and closes as one case', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai', { run: { bounds: { updates: 12 } } });
      const opened = await c.state();
      const window = opened.deadlines.find((d) => d.key === 'application')!;
      const versions: number[] = [];
      const step = async <N extends ActionName>(name: N, input: Omit<ActionInputs[N], 'actor'>, actor?: Actor) => {
        const state = await c.act(name, input, actor);
        versions.push((await findCaseView(suite.db, c.input.caseId))!.version);
        return state;
      };

      // Recusals while the application window runs: the case hands over while it waits on the window's timer.
      for (let i = 0; i < 30; i += 1) await step('recordRecusal', { person: { name: `回避人${i}` }, reason: '与被调查对象有利害关系' });
      let state = await c.state();
      expect((await runsOf(c)).length).toBeGreaterThanOrEqual(3);
      expect(state.recusals).toHaveLength(30);
      // The window is the one counted at opening, still pending, waited on to the same end.
      expect(state.deadlines.find((d) => d.key === 'application')).toEqual(window);

      const today = await c.today();
      await step('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责：事实、依据与建议' });
      await step('appointInvestigationGroup', { appointedOn: today, members: group });
      for (let i = 0; i < 25; i += 1) await step('recordStatement', { receivedOn: today, summary: `第${i + 1}次陈述`, form: 'interviewRecord' });
      await step('submitInvestigationReport', { submittedOn: today, findings: '先行先试，程序瑕疵已整改', recommendation: 'exempt', circumstances: ['binhai-6-3'], mitigating: [] });
      await step(
        'recordDetermination',
        { decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: [], reasons: '符合第六条(三)情形', complex: false },
        supervisor,
      );
      // The notice deadline runs from the decision (第十五条) while the filing is pending; more steps hand the case over meanwhile.
      state = await c.state();
      const notice = state.deadlines.find((d) => d.key === 'notice')!;
      expect(notice.status).toBe('pending');
      const runsBefore = (await runsOf(c)).length;
      for (let i = 30; i < 45; i += 1) await step('recordRecusal', { person: { name: `回避人${i}` }, reason: '与被调查对象有利害关系' });
      expect((await runsOf(c)).length).toBeGreaterThan(runsBefore);
      // A deadline set in an earlier run lapses at its end in a later one: the case is marked overdue and the supervisor told.
      state = await c.advanceTo('notice', 60_000);
      expect(state.deadlines.find((d) => d.key === 'notice')).toMatchObject({ status: 'lapsed', deadline: notice.deadline, endsAt: notice.endsAt });
      const lapses = state.timeline.filter((e) => e.event === 'deadlineLapsed');
      expect(lapses).toHaveLength(1);
      expect(Date.parse(lapses[0]!.at)).toBeGreaterThanOrEqual(Date.parse(notice.endsAt));
      expect((await notificationsForCase(suite.db, c.input.caseId)).filter((n) => n.subject.startsWith('【逾期】'))).toHaveLength(1);

      const now = await c.today();
      await step('recordFiling', { filedOn: now, reference: '备〔2026〕1号' });
      await step('serveNotice', { servedOn: now, servedTo: ['subject', 'subjectOrganisation'] });
      await c.advanceTo('appealWindow', 1000);
      await c.advanceTo('appealWindowRecording', 1000);
      await step('recordPublication', { published: true, publishedOn: await c.today(), scope: '区纪委监委机关' });
      await step('issueCorrectionList', { items: [], noneReason: '程序瑕疵已于调查前整改完毕' });
      state = await step('archiveCase', { archivedOn: await c.today(), reference: '滨纪档〔2026〕7号' });
      expect(state).toMatchObject({ closed: true, outcome: 'exempt' });
      const final = (await c.handle.result()) as CaseState;

      const runs = await runsOf(c);
      expect(runs.length).toBeGreaterThanOrEqual(6);
      for (const r of runs.slice(0, -1)) expect(r.events.at(-1)?.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
      expect(runs.at(-1)!.events.at(-1)?.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      // No run took more steps than its bound (the server's own limit is 2,000 a run).
      for (const r of runs) expect(r.events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).length).toBeLessThanOrEqual(12);

      // One case: every step once, documents numbered once, every notice once, one dossier.
      expect(final.recusals).toHaveLength(45);
      expect(final.statements).toHaveLength(25);
      const documents = await documentsOfCase(suite.db, c.input.caseId);
      expect(documents.map((d) => d.number).sort()).toEqual(final.documents.map((d) => d.number).sort());
      expect(new Set(documents.map((d) => d.number)).size).toBe(documents.length);
      const notices = await notificationsForCase(suite.db, c.input.caseId);
      expect(new Set(notices.map((n) => `${n.idempotency_key}|${n.channel}`)).size).toBe(notices.length);
      expect((await findDossier(suite.db, c.input.caseId))?.timeline).toEqual(final.timeline);
      // The timeline reads in time order across runs, and the view's version only ever went up.
      const times = final.timeline.map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(versions.length);

      const first = runs[0]!;
      const last = runs.at(-1)!;
      await recordHistory('binhai-handed-over-first-run', suite.env.client.workflow.getHandle(c.input.caseId, first.runId));
      await recordHistory('binhai-handed-over-last-run', suite.env.client.workflow.getHandle(c.input.caseId, last.runId));
    });
  });

  it('loses no step that arrives while it hands over, and applies a step sent again once', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai', { run: { bounds: { updates: 8 } } });
      const deps = { db: suite.db, client: suite.env.client, waitMs: 30_000 };
      const send = (i: number) =>
        takeStep(deps, {
          caseId: c.input.caseId,
          action: 'recordRecusal',
          body: { person: { name: `回避人${i}` }, reason: '与被调查对象有利害关系' },
          actor: { ...officer, roles: ['officer'] },
          authority: 'binhai-jw',
          idempotencyKey: `recusal-${i}`,
        });
      // Ten at once, three times over (the server takes ten in flight): some arrive while the case hands over.
      for (let round = 0; round < 3; round += 1) {
        const outcomes = await Promise.all(Array.from({ length: 10 }, (_, k) => send(round * 10 + k)));
        expect(outcomes.map((o) => o.status)).toEqual(Array(10).fill('done'));
      }
      expect((await runsOf(c)).length).toBeGreaterThanOrEqual(3);
      // Every one of them sent again under its key, after the hand-overs: answered, not applied again.
      const again = await Promise.all(Array.from({ length: 30 }, (_, i) => send(i)));
      expect(again.map((o) => o.status)).toEqual(Array(30).fill('done'));
      const state = await c.handle.query(caseStateQuery);
      expect(state.recusals.map((r) => r.person.name).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `回避人${i}`).sort());
    });
  });
});
