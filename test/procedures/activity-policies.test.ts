/**
 * What each activity's policy means, on the real worker and server: a
 * heartbeat timeout only where the activity heartbeats, a schedule-to-close
 * on every one; a defect in the code is retried and told to operations once,
 * not handed to every case's supervisors; a closing effect that fails for
 * good waits for a person, and the case closes once one retries or skips it.
 */
import { temporal } from '@temporalio/proto';
import type { YearSchedule } from '../../domain/calendar';
import { caseStateQuery, searchAttributes } from '../../domain/case/contract';
import { eventually } from '../support/eventually';
import { findDossier } from '../../store/dossiers';
import { notificationsForCase } from '../../store/notifications';
import { createCaseWorker } from '../../worker/worker';
import { DefectAlarm } from '../../worker/failures';
import { TEST_SCHEDULES } from '../support/calendar';
import { CaseDriver, supervisor, withCaseWorker } from '../support/case-driver';
import { testDataConverter } from '../support/keys';
import { uniqueTaskQueue, workflowBundle } from '../support/temporal';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const EventType = temporal.api.enums.v1.EventType;
const seconds = (d: temporal.api.history.v1.IActivityTaskScheduledEventAttributes['heartbeatTimeout']) => (d?.seconds ? Number(d.seconds) : 0);

const group = [
  { name: '调查员甲', declaresNoConflict: true },
  { name: '调查员乙', declaresNoConflict: true },
];

/** A Binhai case decided as exempt and filed: its documents are issued. */
async function decidedAndFiled(c: CaseDriver) {
  const today = await c.today();
  await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请' });
  await c.act('appointInvestigationGroup', { appointedOn: today, members: group });
  await c.act('recordStatement', { receivedOn: today, summary: '本人陈述' });
  await c.act('submitInvestigationReport', { submittedOn: today, findings: '先行先试', recommendation: 'exempt', circumstances: ['binhai-6-3'], mitigating: [] });
  await c.act(
    'recordDetermination',
    { decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: [], reasons: '符合第六条(三)', complex: false },
    supervisor,
  );
  return c.act('recordFiling', { filedOn: today });
}

describe('activity policies', () => {
  it('sets a heartbeat timeout only on the activities that heartbeat, and a schedule-to-close on every one', async () => {
    await withCaseWorker(suite.env, suite.db, 'policies', async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await decidedAndFiled(c);
      await c.act('withdrawCase', { reason: '问责程序已终止' }, supervisor);
      await c.handle.result();
      const scheduled = ((await c.handle.fetchHistory()).events ?? [])
        .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map((e) => e.activityTaskScheduledEventAttributes!);
      const byType = new Map(scheduled.map((a) => [a.activityType!.name!, { heartbeat: seconds(a.heartbeatTimeout), scheduleToClose: seconds(a.scheduleToCloseTimeout) }]));
      expect([...byType.keys()].sort()).toEqual(['archiveDossier', 'bindCaseFile', 'computeDeadline', 'issueDocument', 'notify', 'renderArchivalCopies']);
      expect(Object.fromEntries(byType)).toEqual({
        computeDeadline: { heartbeat: 0, scheduleToClose: 86_400 },
        issueDocument: { heartbeat: 0, scheduleToClose: 86_400 },
        archiveDossier: { heartbeat: 0, scheduleToClose: 86_400 },
        // These two heartbeat while they work (services/heartbeating.ts).
        notify: { heartbeat: 10, scheduleToClose: 86_400 },
        renderArchivalCopies: { heartbeat: 15, scheduleToClose: 7 * 86_400 },
        bindCaseFile: { heartbeat: 30, scheduleToClose: 7 * 86_400 },
      });
    });
  });

  it('retries a code defect with backoff and tells operations once, without flagging the case or telling its supervisors', async () => {
    /** A bad deploy of the calendar: its first two lookups read a property of nothing. */
    class DefectiveSchedules extends Map<number, YearSchedule> {
      private defects = 2;
      override get(year: number): YearSchedule | undefined {
        if (this.defects > 0) {
          this.defects -= 1;
          const missing = undefined as unknown as { schedule: YearSchedule };
          return missing.schedule;
        }
        return super.get(year);
      }
    }
    const alarm = new DefectAlarm();
    const taskQueue = uniqueTaskQueue('defect');
    const worker = await createCaseWorker({
      connection: suite.env.nativeConnection,
      namespace: suite.env.namespace ?? 'default',
      taskQueue,
      dependencies: { db: suite.db, client: suite.env.client, publishedSchedules: new DefectiveSchedules(TEST_SCHEDULES) },
      dataConverter: testDataConverter,
      workflowBundle: await workflowBundle(),
      defects: alarm,
    });
    await worker.runUntil(async () => {
      const c = await CaseDriver.open(suite.env, suite.db, taskQueue, 'binhai');
      const state = await c.state();
      // The deadline was counted once the defect was gone, on the third attempt; the case never noticed.
      expect(state.deadlines.find((d) => d.key === 'application')?.status).toBe('pending');
      expect(state.attention ?? []).toEqual([]);
      expect(state.timeline.map((e) => e.event)).not.toContain('effectFailed');
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.needsAttention)).not.toBe(true);
      expect((await notificationsForCase(suite.db, c.input.caseId)).filter((n) => n.subject.includes('需要处理'))).toEqual([]);
      const events = (await c.handle.fetchHistory()).events ?? [];
      const counting = events.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes?.activityType?.name === 'computeDeadline')!;
      const started = events.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(counting.eventId));
      expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(3);
      // One defect, met twice: one counter, one alarm.
      expect([...alarm.counts()]).toEqual([[expect.stringMatching(/^computeDeadline: TypeError: Cannot read properties of undefined/), 2]]);
      await c.handle.terminate('test done');
    });
  });

  it('hands a closing effect that fails for good to a person; the case closes once one retries the copies and skips the dossier', async () => {
    await withCaseWorker(suite.env, suite.db, 'closing', async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await decidedAndFiled(c);
      // The archive loses its documents and dossiers tables: the copies and the dossier fail on every retry.
      await suite.db.query('alter table documents rename to documents_away');
      await suite.db.query('alter table dossiers rename to dossiers_away');
      try {
        let state = await c.act('withdrawCase', { reason: '问责程序已终止' }, supervisor);
        expect(state.closed).toBe(true);
        const copies = state.attention?.find((i) => i.status === 'open');
        expect(copies).toMatchObject({ effect: '生成存档版式文件（PDF）', type: 'DatabaseError:42P01', skippable: true });
        // A closed case offers only what its closing effects wait for.
        expect(state.availableActions.map((a) => a.name).sort()).toEqual(['retryEffect', 'skipEffect']);
        expect((await c.refused('recordRecusal', { person: { name: '某人' }, reason: '利害关系' })).message).toContain('案件已终结');

        await suite.db.query('alter table documents_away rename to documents');
        await c.act('retryEffect', { effectId: copies!.id }, supervisor);
        // The copies rendered and the file bound (or recorded as not bound), the dossier fails in its turn.
        const dossier = await eventually(async () => {
          const open = (await c.handle.query(caseStateQuery)).attention?.find((i) => i.status === 'open');
          if (!open) throw new Error('no effect waits for a person yet');
          return open;
        }, 60_000);
        expect(dossier).toMatchObject({ effect: '案卷存档', type: 'DatabaseError:42P01', skippable: true });
        await c.act('skipEffect', { effectId: dossier!.id, reason: '档案库维护中，由存档核对补写' }, supervisor);
        const final = await c.handle.result();
        expect(final).toMatchObject({ closed: true, outcome: 'withdrawn' });
        expect(final.timeline.filter((e) => e.event === 'effectRetried' || e.event === 'effectSkipped').map((e) => e.detail)).toEqual([
          '重试：生成存档版式文件（PDF）',
          '跳过：案卷存档；理由：档案库维护中，由存档核对补写',
        ]);
      } finally {
        await suite.db.query('alter table if exists documents_away rename to documents');
        await suite.db.query('alter table if exists dossiers_away rename to dossiers');
      }
      // Skipped here, the dossier is written by the dossier sweep from the closed case.
      expect(await findDossier(suite.db, c.input.caseId)).toBeUndefined();
    });
  });
});
