/**
 * No case lost, stuck or doubled: a step that arrives early is taken, a case
 * can be withdrawn, a cancel from the Temporal UI closes the case with its
 * dossier, a failed effect waits for a person instead of failing or
 * spinning, and outer limits are recounted when a year's schedule is loaded.
 */
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { addDays, beijingDate, type YearSchedule } from '../../domain/calendar';
import { actionUpdate, calendarUpdatedSignal, caseWorkflowId, RefusalType, searchAttributes, WORKFLOW_TYPE, type CaseInput } from '../../domain/case/contract';
import { rulebookInForce } from '../../domain/rulebooks';
import { fixedHolidaySchedule } from '../../services/calendar/fixed-holidays';
import { publishedSchedules } from '../../services/calendar/published';
import { saveLoadedYear } from '../../store/calendar-years';
import { findDossier } from '../../store/dossiers';
import { notificationsForCase } from '../../store/notifications';
import { createCaseWorker } from '../../worker/worker';
import { CaseDriver, officer, settle, supervisor, trackCase, withCaseWorker } from '../support/case-driver';
import { testDataConverter } from '../support/keys';
import { uniqueTaskQueue, workflowBundle } from '../support/temporal';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const run = <T>(name: string, fn: (taskQueue: string) => Promise<T>, deps: Parameters<typeof withCaseWorker>[4] = {}) =>
  withCaseWorker(suite.env, suite.db, name, fn, deps);

const EventType = temporal.api.enums.v1.EventType;

async function eventTypes(c: CaseDriver): Promise<number[]> {
  return ((await c.handle.fetchHistory()).events ?? []).map((e) => Number(e.eventType));
}

async function binhaiInput(caseNumber: number): Promise<CaseInput> {
  const today = beijingDate(await suite.env.currentTimeMs());
  return {
    caseId: caseWorkflowId('binhai', Number(today.slice(0, 4)), 7000 + caseNumber + (process.pid % 100) * 10),
    rulebook: rulebookInForce('binhai', today)!,
    authority: 'binhai-jw',
    subject: { name: '王某', organisation: '滨海新区某街道党工委' },
    matter: '老旧小区改造中先行先试，程序存在瑕疵',
    accountability: { reference: '滨纪问〔2026〕12号', body: '滨海新区纪委监委' },
    eventDate: today,
    openedBy: officer,
    openedAt: new Date(await suite.env.currentTimeMs()).toISOString(),
  };
}

/** A Yinchuan application taken up: accountability is suspended and the report deadline runs. */
async function acceptedYinchuan(tq: string) {
  const c = await CaseDriver.open(suite.env, suite.db, tq, 'yinchuan');
  const today = await c.today();
  await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' });
  await c.act('decideAcceptance', { accepted: true, decidedOn: today }, supervisor);
  return { c, today };
}

describe('a step that arrives before the case has come to rest', () => {
  it('is taken when it comes with the first workflow task, before the first deadline is counted', async () => {
    const input = await binhaiInput(1);
    const taskQueue = uniqueTaskQueue('early-step');
    // Started and sent the application with no worker polling: the update is delivered with the first task.
    const handle = trackCase(await suite.env.client.workflow.start(WORKFLOW_TYPE, { args: [input], taskQueue, workflowId: input.caseId }));
    const filed = handle.executeUpdate(actionUpdate('fileApplication'), {
      args: [{ actor: officer, filedBy: 'subject', receivedOn: input.eventDate, summary: '随告知书一并收到的书面申请' }],
    });
    const worker = await createCaseWorker({
      connection: suite.env.nativeConnection,
      namespace: suite.env.namespace ?? 'default',
      taskQueue,
      dependencies: { db: suite.db, client: suite.env.client },
      dataConverter: testDataConverter,
      workflowBundle: await workflowBundle(),
    });
    try {
      const state = await worker.runUntil(async () => {
        await filed;
        return settle(handle);
      });
      expect(state.application).toMatchObject({ filedBy: 'subject', filedAt: input.eventDate });
      expect(state.stage).toBe('investigation');
      expect(state.deadlines.find((d) => d.key === 'application')?.status).toBe('met');
    } finally {
      await handle.terminate('test done').catch(() => undefined);
    }
  });

  it('is still refused as the wrong stage when the case comes to rest and the step is not open', async () => {
    await run('early-refused', async (tq) => {
      const input = await binhaiInput(2);
      const handle = trackCase(await suite.env.client.workflow.start(WORKFLOW_TYPE, { args: [input], taskQueue: tq, workflowId: input.caseId }));
      const error = await handle
        .executeUpdate(actionUpdate('archiveCase'), { args: [{ actor: officer, archivedOn: input.eventDate, reference: '卷1' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(((error as WorkflowUpdateFailedError).cause as { type?: string }).type).toBe(RefusalType.wrongStage);
      const state = await settle(handle);
      expect(state.archive).toBeUndefined();
      expect(state.stage).toBe('application');
      await handle.terminate('test done');
    });
  });
});

describe('withdrawing a case', () => {
  it('on the applicant’s written withdrawal closes it, resumes the suspended accountability, tells the parties and writes the dossier', async () => {
    await run('withdraw-applicant', async (tq) => {
      const { c, today } = await acceptedYinchuan(tq);
      expect((await c.state()).accountability.status).toBe('suspended');

      await c.act('withdrawCase', { reason: '当事人书面撤回', applicantWithdrawal: { filedBy: 'subject', receivedOn: today } }, supervisor);
      const state = await c.handle.result();
      expect(state).toMatchObject({ closed: true, outcome: 'withdrawn', accountability: { status: 'proceeding' } });
      expect(state.withdrawal).toMatchObject({ by: 'subject', withdrawnOn: today, reason: '当事人书面撤回' });
      expect(state.timeline.map((e) => e.event)).toEqual(expect.arrayContaining(['applicationWithdrawn', 'caseClosed', 'accountabilityResumed']));
      const sent = await notificationsForCase(suite.db, c.input.caseId);
      expect(sent.map((n) => n.idempotency_key)).toEqual(
        expect.arrayContaining([`${c.input.caseId}:withdrawn:subject`, `${c.input.caseId}:withdrawn:subjectOrganisation`, `${c.input.caseId}:withdrawn:accountability-resume`]),
      );
      expect(await findDossier(suite.db, c.input.caseId)).toMatchObject({ outcome: 'withdrawn', closed: true });
    });
  });

  it('by the authority closes it with the reason, before any application', async () => {
    await run('withdraw-authority', async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await c.act('withdrawCase', { reason: '问责程序已终止' }, supervisor);
      const state = await c.handle.result();
      expect(state).toMatchObject({ closed: true, outcome: 'withdrawn', withdrawal: { by: 'authority', reason: '问责程序已终止' } });
      // The application window no longer runs.
      expect(state.deadlines.find((d) => d.key === 'application')?.status).toBe('superseded');
      expect(await findDossier(suite.db, c.input.caseId)).toMatchObject({ outcome: 'withdrawn' });
    });
  });

  it('is refused for the applicant once the determination is made, and for an officer at all', async () => {
    await run('withdraw-refused', async (tq) => {
      const { c, today } = await acceptedYinchuan(tq);
      expect((await c.refused('withdrawCase', { reason: '撤回' }, officer)).type).toBe(RefusalType.notPermitted);
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '容缺受理中出现偏差', recommendation: 'exempt', circumstances: ['yc-4'], mitigating: [] });
      await c.act(
        'recordDetermination',
        { decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['yc-4'], mitigating: [], conditions: [], exclusions: [], reasons: '符合', complex: false },
        supervisor,
      );
      const refusal = await c.refused('withdrawCase', { reason: '撤回', applicantWithdrawal: { filedBy: 'subject', receivedOn: today } }, supervisor);
      expect(refusal.type).toBe(RefusalType.wrongStage);
      expect(refusal.message).toContain('原文未设撤回专条');
    });
  });
});

describe('a cancel from the Temporal UI', () => {
  it('closes a Yinchuan case whose report deadline runs, with its dossier, and no workflow task fails', async () => {
    await run('cancel', async (tq) => {
      const { c, today } = await acceptedYinchuan(tq);
      expect((await c.state()).deadlines.find((d) => d.key === 'investigationReport')?.status).toBe('pending');

      await c.handle.cancel();
      const error = await c.handle.result().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect((await c.handle.describe()).status.name).toBe('CANCELLED');

      const types = await eventTypes(c);
      expect(types).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
      const dossier = await findDossier(suite.db, c.input.caseId);
      expect(dossier).toMatchObject({ closed: true, outcome: 'cancelled', accountability: { status: 'proceeding' } });
      expect(dossier!.timeline.map((e) => e.event)).toContain('cancelled');
      expect((await notificationsForCase(suite.db, c.input.caseId)).map((n) => n.idempotency_key)).toContain(`${c.input.caseId}:cancelled:supervisor`);
    });
  });
});

describe('an effect that fails in a way retrying cannot fix', () => {
  /** A Binhai case with its investigation reported: determination and filing lead to the notice's documents. */
  async function reported(tq: string) {
    const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
    const today = await c.today();
    await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请' });
    await c.act('appointInvestigationGroup', {
      appointedOn: today,
      members: [
        { name: '调查员甲', declaresNoConflict: true },
        { name: '调查员乙', declaresNoConflict: true },
      ],
    });
    // The subject is heard before the report (第十三条(二)).
    await c.act('recordStatement', { receivedOn: today, summary: '本人陈述：先行先试，程序有瑕疵' });
    await c.act('submitInvestigationReport', { submittedOn: today, findings: '先行先试', recommendation: 'exempt', circumstances: ['binhai-6-3'], mitigating: [] });
    return { c, today };
  }

  /** Decides the case as exempt and files it: the notice step then issues its documents. */
  async function decideAndFile(c: CaseDriver, today: string) {
    await c.act(
      'recordDetermination',
      { decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: [], reasons: '符合第六条(三)', complex: false },
      supervisor,
    );
    return c.act('recordFiling', { filedOn: today });
  }

  it('waits for a person with the case flagged NeedsAttention, and goes on when retried after the cause is fixed', async () => {
    await run('attention-retry', async (tq) => {
      const { c, today } = await reported(tq);
      // The archive loses its documents table: numbering fails the same way on every retry.
      await suite.db.query('alter table documents rename to documents_away');
      try {
        let state = await decideAndFile(c, today);
        const item = state.attention?.find((i) => i.status === 'open');
        expect(item).toMatchObject({ type: 'DatabaseError:42P01', skippable: true, effect: expect.stringContaining('制发《') });
        expect(state.timeline.at(-1)?.event).toBe('effectFailed');
        expect(state.availableActions.map((a) => a.name)).toEqual(expect.arrayContaining(['retryEffect', 'skipEffect']));
        expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.needsAttention)).toBe(true);
        expect((await notificationsForCase(suite.db, c.input.caseId)).map((n) => n.subject)).toContainEqual(expect.stringContaining('【需要处理】'));

        await suite.db.query('alter table documents_away rename to documents');
        state = await c.act('retryEffect', { effectId: item!.id }, supervisor);
        expect(state.attention?.find((i) => i.id === item!.id)).toMatchObject({ status: 'retried', resolvedBy: { sub: supervisor.sub } });
        expect(state.documents.map((d) => d.kind)).toEqual(expect.arrayContaining(['conclusionNotice', 'exemptionDecision']));
        expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.needsAttention)).toBe(false);
        expect(state.stage).toBe('notice');
      } finally {
        await suite.db.query('alter table if exists documents_away rename to documents');
      }
    });
  });

  it('may be skipped by a supervisor with the reason, and the case goes on without it', async () => {
    await run('attention-skip', async (tq) => {
      const { c, today } = await reported(tq);
      await suite.db.query('alter table documents rename to documents_away');
      try {
        let state = await decideAndFile(c, today);
        const item = state.attention!.find((i) => i.status === 'open')!;
        expect((await c.refused('skipEffect', { effectId: item.id, reason: '改为当面送达纸质文书' }, officer)).type).toBe(RefusalType.notPermitted);
        state = await c.act('skipEffect', { effectId: item.id, reason: '改为当面送达纸质文书' }, supervisor);
        // The notice step issues its second document, which fails too, and is skipped the same way.
        const next = state.attention!.find((i) => i.status === 'open');
        if (next) state = await c.act('skipEffect', { effectId: next.id, reason: '改为当面送达纸质文书' }, supervisor);
        expect(state.timeline.filter((e) => e.event === 'effectSkipped').map((e) => e.detail)).toContainEqual(expect.stringContaining('改为当面送达纸质文书'));
        expect(state.documents).toEqual([]);
        expect(state.availableActions.map((a) => a.name)).toContain('serveNotice');
      } finally {
        await suite.db.query('alter table if exists documents_away rename to documents');
      }
    });
  });
});

describe('outer limits when a provisional year is loaded', () => {
  // The calendar knows no published schedule from this year on: every count is provisional.
  const currentYear = Number(beijingDate(Date.now()).slice(0, 4));
  const published = new Map([...publishedSchedules].filter(([year]) => year < currentYear));

  it('recounts the Yinchuan extension cap with the deadlines, and the extension is decided against the recount', async () => {
    await run(
      'limit-recount',
      async (tq) => {
        const { c, today } = await acceptedYinchuan(tq);
        let state = await c.state();
        const cap = state.limits.find((l) => l.key === 'extensionLimit')!;
        expect(cap).toMatchObject({ provisional: true, from: today, amount: 30, unit: 'workingDays' });
        // The schedule loaded for the year makes the first working day after today a holiday, so the cap moves a day on.
        const firstWorkingDay = [...Array(10).keys()].map((i) => addDays(today, i + 1)).find((d) => {
          const fixed = fixedHolidaySchedule(Number(d.slice(0, 4)));
          return !fixed.holidays[d] && ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
        })!;
        const year = Number(firstWorkingDay.slice(0, 4));
        const fixed = fixedHolidaySchedule(year);
        const schedule: YearSchedule = { year, status: 'official', source: '国办发明电（测试）', holidays: { ...fixed.holidays, [firstWorkingDay]: '测试假日' }, makeUpWorkdays: {} };
        await saveLoadedYear(suite.db, schedule, 'test');
        await c.handle.signal(calendarUpdatedSignal, { year, source: schedule.source });
        state = await c.settled();
        const recounted = state.limits.find((l) => l.key === 'extensionLimit')!;
        expect(recounted.deadline > cap.deadline).toBe(true);
        expect(state.timeline.map((e) => e.event)).toContain('limitRecomputed');
        // An extension to the recounted last day is within the cap now; it was beyond the first count.
        state = await c.act('extendInvestigation', { until: recounted.deadline, reason: '情况复杂', approvedBy: '主要负责人' }, supervisor);
        expect(state.extensions.at(-1)?.until).toBe(recounted.deadline);
      },
      { publishedSchedules: published },
    );
  });
});
