/**
 * The people on a Binhai case, in the workflow itself (time-skipping server,
 * real worker): the subject files its own application, statement and appeal
 * as a party, validated as an officer's recording is, and nothing else; an
 * officer claims the case, a supervisor reassigns it, a recusal takes the
 * 承办人 off it, each in the timeline and mirrored in the Assignees search
 * attribute as keys; whoever a step starts waiting for is told. Recorded as a
 * replay fixture of the new side (RECORD_HISTORIES=1).
 */
import { acknowledgeServiceUpdate, RefusalType, searchAttributes, type Actor } from '../../domain/case/contract';
import { notificationsForCase } from '../../store/notifications';
import { eventually } from '../support/eventually';
import { CaseDriver, officer, subjectUser, supervisor, withCaseWorker } from '../support/case-driver';
import { recordHistory } from '../support/histories';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const party: Actor = { sub: subjectUser.sub, name: subjectUser.name, roles: ['party'] };
const colleague: Actor = { sub: 'officer-2', name: '陈承办', roles: ['officer'] };
const run = <T>(fn: (taskQueue: string) => Promise<T>) => withCaseWorker(suite.env, suite.db, 'people', fn);

describe('people on a Binhai case', () => {
  it('lets the subject file for itself as a party, and only that; assignment in the timeline and visibility; notices when steps wait', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      const today = await c.today();

      // Nobody holds it: an officer claims it.
      let state = await c.act('claimCase', { key: 'key-officer-1' }, officer);
      expect(state.assignment).toMatchObject({ responsible: { sub: officer.sub, key: 'key-officer-1' }, reason: '认领' });
      expect(state.timeline.at(-1)).toMatchObject({ event: 'caseClaimed', actor: { sub: officer.sub } });
      expect((await c.refused('claimCase', { key: 'key-officer-2' }, colleague)).type).toBe(RefusalType.wrongStage);
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.assignees)).toEqual(['key-officer-1']);

      // The party files its application itself; for the other party, or a staff step, it may not.
      expect(await c.refused('fileApplication', { filedBy: 'subjectOrganisation', receivedOn: today, summary: '代单位申请' }, party)).toMatchObject({ type: RefusalType.notPermitted });
      expect(await c.refused('recordRecusal', { person: { name: '某人' }, reason: '—' }, party)).toMatchObject({ type: RefusalType.notPermitted });
      state = await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '本人申请容错免责' }, party);
      expect(state.application).toMatchObject({ filedBy: 'subject', filedAt: today, recordedBy: { sub: party.sub } });
      expect(state.stage).toBe('investigation');

      // The 承办人 is told of the investigation's steps.
      await eventually(async () => {
        const told = (await notificationsForCase(suite.db, c.input.caseId)).filter((n) => n.subject.startsWith('【待办】'));
        expect(told.map((n) => n.recipient)).toContainEqual({ kind: 'staff', authority: 'binhai-jw', sub: officer.sub, name: officer.name });
      }, 30_000);

      // A supervisor reassigns it, with a reason; the new 承办人 is told.
      state = await c.act('assignCase', { responsible: { sub: colleague.sub, name: colleague.name, key: 'key-officer-2' }, team: [{ sub: officer.sub, name: officer.name, key: 'key-officer-1' }], reason: '工作调整' }, supervisor);
      expect(state.timeline.at(-1)).toMatchObject({ event: 'caseAssigned', detail: expect.stringContaining('工作调整') });
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.assignees)).toEqual(['key-officer-2', 'key-officer-1']);
      await eventually(async () => {
        const told = await notificationsForCase(suite.db, c.input.caseId);
        expect(told.some((n) => n.subject.startsWith('【承办】') && (n.recipient as { sub?: string }).sub === colleague.sub)).toBe(true);
      }, 30_000);

      // The party gives its statement in writing, online.
      await c.act('appointInvestigationGroup', { appointedOn: today, members: [{ name: '甲调查', declaresNoConflict: true }, { name: '乙调查', declaresNoConflict: true }] }, colleague);
      state = await c.act('recordStatement', { by: 'subject', receivedOn: today, summary: '本人书面陈述', form: 'written' }, party);
      expect(state.statements.at(-1)).toMatchObject({ by: 'subject', form: 'written', recordedBy: { sub: party.sub } });

      // Recused: off the team.
      state = await c.act('recordRecusal', { person: { sub: officer.sub, name: officer.name }, reason: '利害关系' }, supervisor);
      expect(state.assignment?.team).toEqual([]);
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.assignees)).toEqual(['key-officer-2']);
      expect((await c.refused('assignCase', { responsible: { sub: officer.sub, name: officer.name, key: 'key-officer-1' }, reason: '重新指定' }, supervisor)).type).toBe(RefusalType.recused);

      await c.act('submitInvestigationReport', { submittedOn: today, findings: '盲目决策', recommendation: 'denied', circumstances: [], mitigating: [] }, colleague);
      // The deliberation waits for the supervisors, who are told.
      await eventually(async () => {
        const told = (await notificationsForCase(suite.db, c.input.caseId)).filter((n) => n.subject.startsWith('【待办】') && n.subject.includes('集体研究认定'));
        expect(told.map((n) => n.recipient)).toEqual([{ kind: 'role', role: 'supervisor', authority: 'binhai-jw' }]);
      }, 30_000);
      await c.act(
        'recordDetermination',
        { decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'denied', circumstances: [], mitigating: [], conditions: [], exclusions: ['binhai-8-5'], reasons: '不经论证盲目决策造成损失', complex: false },
        supervisor,
      );
      await c.act('recordFiling', { filedOn: today }, colleague);
      await c.handle.executeUpdate(acknowledgeServiceUpdate, { args: [{ party: 'subject', servedOn: today, notificationId: 'inbox-notice', actor: { sub: party.sub, name: party.name, roles: [] } }] });
      await c.settled();

      // Its appeal, filed online.
      state = await c.act('fileAppeal', { filedBy: 'subject', receivedOn: today, summary: '本人申诉' }, party);
      expect(state.appeal).toMatchObject({ receivedOn: today, filedBy: 'subject', recordedBy: { sub: party.sub } });
      expect(await c.refused('decideAppeal', { decidedOn: today, result: 'upheld', reasons: '—' }, party)).toMatchObject({ type: RefusalType.notPermitted });

      await c.handle.terminate('test done');
      await recordHistory('binhai-people-on-a-case', c.handle);
    });
  });
});
