/**
 * A party's window is decided by the day the filing reached the authority
 * (民法典 第二百零一条、第二百零三条), not by the day an officer enters it: a
 * filing that arrived on the last day and is typed in the next morning is
 * recorded; one that arrived a day late is refused, naming the last day and
 * the article. The timeline shows both the lapse and the recording.
 */
import { CaseDriver, withCaseWorker } from '../support/case-driver';
import { recordHistory } from '../support/histories';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const run = <T>(fn: (taskQueue: string) => Promise<T>) => withCaseWorker(suite.env, suite.db, 'party-windows', fn);
const HOUR = 3_600_000;

describe('an application window (滨海 第十二条(二))', () => {
  it('records an application that reached the authority on its last day, entered at 09:00 the next morning', async () => {
    await run(async (tq) => {
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
    await run(async (tq) => {
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
