/**
 * Binhai application window (第十二条(二)): the subject or its party
 * organisation may apply within 7 working days after being informed; the
 * window is a durable timer that lapses at 24:00 Beijing time of the last day.
 * Whether a filing is in time is decided by the day it reached the authority
 * (民法典 第二百零一条、第二百零三条), not by the day an officer enters it: one
 * that arrived on the last day and is typed in the next morning is recorded;
 * one that arrived a day late is refused, naming the last day and the article.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { addDays, beijingDate, type YearSchedule } from '../../domain/calendar';
import { calendarUpdatedSignal, caseStateQuery, fileApplicationUpdate, RefusalType, WORKFLOW_TYPE, type CaseState } from '../../domain/case/contract';
import { fixedHolidaySchedule } from '../../services/calendar/fixed-holidays';
import { publishedSchedules } from '../../services/calendar/published';
import { loadStatutoryCalendar } from '../../services/calendar/statutory-calendar';
import { saveLoadedYear } from '../../store/calendar-years';
import { TEST_SCHEDULES } from '../support/calendar';
import { binhaiCase, officer } from '../support/cases';
import { timeSkippingSuite } from '../support/time-skipping-suite';
import { CaseDriver, settle, trackCase, withCaseWorker } from '../support/case-driver';
import { recordHistory } from '../support/histories';

const suite = timeSkippingSuite();

const withWorker = <T>(fn: (taskQueue: string) => Promise<T>) => withCaseWorker(suite.env, suite.db, 'binhai-application', fn);

async function startCase(taskQueue: string) {
  const today = beijingDate(await suite.env.currentTimeMs());
  const input = binhaiCase(today);
  const handle = trackCase(await suite.env.client.workflow.start(WORKFLOW_TYPE, { args: [input], taskQueue, workflowId: input.caseId }));
  const expected = (await loadStatutoryCalendar({ db: suite.db, published: TEST_SCHEDULES })).deadline(today, { amount: 7, unit: 'workingDays' });
  return { handle, input, expected };
}

async function stateOnce(handle: Pick<WorkflowHandle, 'query'>, holds: (state: CaseState) => boolean) {
  for (;;) {
    const state = await handle.query(caseStateQuery);
    if (holds(state)) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const stateOnceDeadlineSet = (handle: Awaited<ReturnType<typeof startCase>>['handle']) => stateOnce(handle, (s) => s.deadlines.length > 0);

describe('Binhai application window', () => {
  it('is counted as 7 working days from the notice and cites 第十二条(二)', async () => {
    await withWorker(async (taskQueue) => {
      const { handle, expected } = await startCase(taskQueue);
      const state = await stateOnceDeadlineSet(handle);
      expect(state.stage).toBe('application');
      expect(state.deadlines[0]).toMatchObject({
        key: 'application',
        binds: 'party',
        deadline: expected.deadline,
        endsAt: expected.endsAt,
        status: 'pending',
        basis: { article: '第十二条(二)' },
      });
      await handle.terminate('test done');
    });
  });

  it('is still open one minute before 24:00 of the last day and lapses at 24:00, recording the lapse', async () => {
    await withWorker(async (taskQueue) => {
      const { handle, expected } = await startCase(taskQueue);
      await stateOnceDeadlineSet(handle);
      const endsAt = Date.parse(expected.endsAt);

      await suite.env.sleep(endsAt - 60_000 - (await suite.env.currentTimeMs()));
      const before = await handle.query(caseStateQuery);
      expect(before.stage).toBe('application');
      expect(before.closed).toBe(false);

      await suite.env.sleep(120_000);
      const after = await stateOnce(handle, (s) => s.deadlines.length > 1);
      // A filing that reached the authority in time may still be recorded (below: decided by the day it reached the authority).
      expect(after.closed).toBe(false);
      expect(after.deadlines[0]?.status).toBe('lapsed');
      const lapse = after.timeline.find((e: { event: string }) => e.event === 'windowLapsed');
      expect(lapse?.basis?.article).toBe('第十二条(二)');
      expect(Date.parse(lapse!.at)).toBeGreaterThanOrEqual(endsAt);
      await handle.terminate('test done');
      await recordHistory('binhai-application-lapsed', handle);
    });
  });

  it('accepts an application on the last day and moves on to investigation', async () => {
    await withWorker(async (taskQueue) => {
      const { handle, expected } = await startCase(taskQueue);
      await stateOnceDeadlineSet(handle);
      await suite.env.sleep(Date.parse(expected.endsAt) - 60_000 - (await suite.env.currentTimeMs()));
      const taken = await handle.executeUpdate(fileApplicationUpdate, {
        args: [{ actor: officer, filedBy: 'subject', receivedOn: expected.deadline, summary: '申请容错免责：事实、依据与建议' }],
      });
      // A step answers with the version of the case after it, not the whole state (which is read).
      expect(taken).toMatchObject({ caseId: expect.any(String), version: expect.any(Number), closed: false });
      const state = await settle(handle);
      expect(state.application).toMatchObject({ filedBy: 'subject', filedAt: expected.deadline, recordedBy: officer });
      expect(state.deadlines[0]?.status).toBe('met');
      const after = await handle.query(caseStateQuery);
      expect(after.stage).toBe('investigation');
      expect(after.timeline.at(-1)).toMatchObject({ event: 'stageEntered', detail: 'investigation' });
      await handle.terminate('test done');
    });
  });

  it('refuses a day of receipt in the future as in the future, not as late, and leaves no trace', async () => {
    await withWorker(async (taskQueue) => {
      const { handle, expected } = await startCase(taskQueue);
      await stateOnceDeadlineSet(handle);
      await suite.env.sleep(Date.parse(expected.endsAt) - 60_000 - (await suite.env.currentTimeMs()));
      const before = await handle.query(caseStateQuery);
      const late = handle.executeUpdate(fileApplicationUpdate, {
        args: [{ actor: officer, filedBy: 'subject', receivedOn: '2099-01-01', summary: '逾期申请' }],
      });
      const error = await late.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (error as WorkflowUpdateFailedError).cause as { type?: string; message: string };
      // 2099 is after the window's last day too, but what is wrong with it is that it has not come yet.
      expect(cause.type).toBe(RefusalType.invalidInput);
      expect(cause.message).toContain('receivedOn：2099-01-01 晚于今日');
      expect(cause.message).not.toContain('逾期');
      expect(await handle.query(caseStateQuery)).toEqual(before);
      await handle.terminate('test done');
    });
  });

  it('refuses a day of receipt before the subject was told or after today, naming the field and the event', async () => {
    await withWorker(async (taskQueue) => {
      const { handle, input } = await startCase(taskQueue);
      await stateOnceDeadlineSet(handle);
      const before = await handle.query(caseStateQuery);
      const refusal = async (receivedOn: string) => {
        const error = await handle
          .executeUpdate(fileApplicationUpdate, { args: [{ actor: officer, filedBy: 'subject', receivedOn, summary: '申请容错免责' }] })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
        return (error as WorkflowUpdateFailedError).cause as { type?: string; message: string };
      };
      const early = await refusal(addDays(input.eventDate, -1));
      expect([early.type, early.message]).toEqual([RefusalType.invalidInput, `receivedOn：${addDays(input.eventDate, -1)} 早于问责部门告知日 ${input.eventDate}`]);
      const today = beijingDate(await suite.env.currentTimeMs());
      const future = await refusal(addDays(today, 1));
      expect([future.type, future.message]).toEqual([RefusalType.invalidInput, `receivedOn：${addDays(today, 1)} 晚于今日 ${today}`]);
      expect(await handle.query(caseStateQuery)).toEqual(before);
      await handle.terminate('test done');
    });
  });
});

const HOUR = 3_600_000;

describe('Binhai application decided by the day it reached the authority', () => {
  it('records an application that reached the authority on its last day, entered at 09:00 the next morning', async () => {
    await withWorker(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      const window = (await c.state()).deadlines.find((d) => d.key === 'application')!;
      let state = await c.advanceTo('application', 9 * HOUR);
      expect(state).toMatchObject({ closed: false, stage: 'application' });
      expect(state.deadlines.find((d) => d.key === 'applicationRecording')).toMatchObject({ binds: 'recording', from: window.deadline, status: 'pending' });

      state = await c.act('fileApplication', { filedBy: 'subject', receivedOn: window.deadline, summary: '申请容错免责：事实、依据与建议' });
      const recordedOn = await c.today();
      expect(state.stage).toBe('investigation');
      expect(state.application).toMatchObject({ filedAt: window.deadline, recordedOn });
      expect(state.deadlines.find((d) => d.key === 'application')?.status).toBe('lapsed');
      expect(state.deadlines.find((d) => d.key === 'applicationRecording')?.status).toBe('met');
      const events = state.timeline.map((e) => e.event);
      expect(events.indexOf('windowLapsed')).toBeLessThan(events.indexOf('applicationFiled'));
      expect(state.timeline.find((e) => e.event === 'applicationFiled')?.detail).toContain(`${window.deadline} 送达（期限最后一日 ${window.deadline}），${recordedOn} 登记`);
      await c.handle.terminate('test done');
      await recordHistory('binhai-application-recorded-after-lapse', c.handle);
    });
  });

  it('refuses an application that reached the authority a day late, naming the last day and 第十二条(二)', async () => {
    await withWorker(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      const window = (await c.state()).deadlines.find((d) => d.key === 'application')!;
      await c.advanceTo('application', 9 * HOUR);
      const refusal = await c.refused('fileApplication', { filedBy: 'subject', receivedOn: await c.today(), summary: '逾期申请' });
      expect(refusal.type).toBe('WindowClosed');
      expect(refusal.message).toContain(`最后一日为 ${window.deadline}`);
      expect(refusal.message).toContain('第十二条(二)');
      await c.handle.terminate('test done');
    });
  });
});

describe('Binhai application window counted on a provisional schedule (PROVISIONAL_LAPSE, 民法典 第二百零三条)', () => {
  // The calendar knows no published schedule from this year on: every count is provisional.
  const currentYear = Number(beijingDate(Date.now()).slice(0, 4));
  const published = new Map([...publishedSchedules].filter(([year]) => year < currentYear));
  const withProvisionalCalendar = <T>(fn: (taskQueue: string) => Promise<T>) =>
    withCaseWorker(suite.env, suite.db, 'binhai-provisional', fn, { publishedSchedules: published });
  const calendar = async () => loadStatutoryCalendar({ db: suite.db, published });
  afterEach(async () => {
    await suite.db.query('delete from calendar_years where year >= $1', [currentYear]);
  });

  /**
   * Loads the official schedules of the years the case counted provisionally: their fixed holidays,
   * and `holiday` a holiday too where given (the State Council's bridge), then tells the case, as
   * the calendar's propagation does.
   */
  async function loadYears(c: CaseDriver, holiday?: string): Promise<void> {
    const state = await c.state();
    const years = [...new Set([...state.deadlines.flatMap((d) => d.provisionalYears), ...(holiday ? [Number(holiday.slice(0, 4))] : [])])].sort();
    for (const year of years) {
      const fixed = fixedHolidaySchedule(year);
      const holidays = { ...fixed.holidays, ...(holiday?.startsWith(String(year)) ? { [holiday]: '测试假日' } : {}) };
      const schedule: YearSchedule = { year, status: 'official', source: '国办发明电（测试）', holidays, makeUpWorkdays: {} };
      await saveLoadedYear(suite.db, schedule, 'test');
    }
    for (const year of years) await c.handle.signal(calendarUpdatedSignal, { year, source: '国办发明电（测试）' });
  }

  /** The first working day after `date` by the provisional count. */
  async function firstWorkingDayAfter(date: string): Promise<string> {
    return (await calendar()).deadline(date, { amount: 1, unit: 'workingDays' }).deadline;
  }

  it('accepts an application received on the official last day after the year is loaded, although the provisional window had lapsed', async () => {
    await withProvisionalCalendar(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      const window = (await c.state()).deadlines.find((d) => d.key === 'application')!;
      expect(window).toMatchObject({ provisional: true, provisionalYears: expect.arrayContaining([Number(window.deadline.slice(0, 4))]) });
      // The window lapses on its provisional last day: nothing was filed.
      let state = await c.advanceTo('application', 60_000);
      expect(state.deadlines.find((d) => d.key === 'application')?.status).toBe('lapsed');

      // The next day the official schedule is loaded: a working day inside the window is a holiday, so its last day is a working day later.
      await loadYears(c, await firstWorkingDayAfter(c.input.eventDate));
      await stateOnce(c.handle, (s) => s.deadlines.find((d) => d.key === 'application')?.provisional === false);
      state = await c.settled();
      const official = (await calendar()).deadline(c.input.eventDate, { amount: 7, unit: 'workingDays' });
      expect(official.provisional).toBe(false);
      expect(official.deadline > window.deadline).toBe(true);
      expect(state.deadlines.find((d) => d.key === 'application')).toMatchObject({ status: 'pending', deadline: official.deadline, provisional: false });
      expect(state.timeline.find((e) => e.event === 'windowReopened')?.detail).toContain(`${window.deadline} → ${official.deadline}`);

      // Received on the official last day: in time.
      await c.sleep(Date.parse(official.endsAt) - 3_600_000 - (await suite.env.currentTimeMs()));
      state = await c.act('fileApplication', { filedBy: 'subject', receivedOn: official.deadline, summary: '申请容错免责：事实、依据与建议' });
      expect(state.stage).toBe('investigation');
      expect(state.application?.filedAt).toBe(official.deadline);
      expect(state.deadlines.find((d) => d.key === 'application')?.status).toBe('met');
      await c.handle.terminate('test done');
      await recordHistory('binhai-application-reopened-by-calendar-load', c.handle);
    });
  });

  it('does not end the window for want of an application while its last day is provisional; the official schedule decides', async () => {
    await withProvisionalCalendar(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await c.advanceTo('application', 60_000);
      let state = await c.advanceTo('applicationRecording', 60_000);
      // Held: still taking the application, at rest, waiting for the year's schedule.
      expect(state).toMatchObject({ stage: 'application', closed: false });
      expect(state.deadlines.find((d) => d.key === 'applicationRecording')?.status).toBe('pending');
      expect(state.availableActions.map((a) => a.name)).toContain('fileApplication');
      expect(state.timeline.find((e) => e.event === 'lapseHeld')?.basis?.article).toBe('本规则设定（原文未规定）');
      // Re-checked daily, the still unpublished year changes nothing and nothing is written for it.
      const entries = state.timeline.length;
      state = await c.sleep(2 * 86_400_000);
      expect(state).toMatchObject({ stage: 'application', closed: false });
      expect(state.timeline).toHaveLength(entries);

      // The official schedule changes nothing in the window (its fixed holidays only): now the lapse is final, and the authority considers tolerance itself.
      await loadYears(c);
      // The signal is handled in a workflow task of its own: wait for what it does, not for a pause.
      await stateOnce(c.handle, (s) => !s.deadlines.some((d) => d.provisional));
      state = await c.settled();
      expect(state.deadlines.find((d) => d.key === 'applicationRecording')).toMatchObject({ status: 'lapsed', provisional: false });
      expect(state.stage).toBe('exOfficioConsideration');
      await c.handle.terminate('test done');
      await recordHistory('binhai-application-lapsed-provisionally-before-waiting', c.handle);
    });
  });
});
