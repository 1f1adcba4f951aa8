/**
 * The Hangzhou education procedure (杭州市教育局 2020), on the time-skipping
 * server: approval of the start by the committee's principal leader, the
 * six conditions of 第七条, the one-month verification with deferral of at
 * most three months, feedback within 3 working days, filing, archive and
 * follow-up visits for an exempted cadre.
 */
import { addDays, addMonthsClamped } from '../../domain/calendar';
import { searchAttributes, type RecordDeterminationInput } from '../../domain/case/contract';
import { findDossier } from '../../store/dossiers';
import { notificationsForCase } from '../../store/notifications';
import { CaseDriver, subjectUser, supervisor, withCaseWorker } from '../support/case-driver';
import { recordHistory } from '../support/histories';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const DAY = 86_400_000;

const run = <T>(fn: (taskQueue: string) => Promise<T>) => withCaseWorker(suite.env, suite.db, 'hangzhou', fn);
const ALL_CONDITIONS = ['hz-7-1', 'hz-7-2', 'hz-7-3', 'hz-7-4', 'hz-7-5', 'hz-7-6'];
const PRINCIPAL = '局党委主要负责人';

async function started(tq: string) {
  const c = await CaseDriver.open(suite.env, suite.db, tq, 'hangzhou-education');
  const today = await c.today();
  await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' });
  await c.act('approveStart', { approved: true, approvedOn: today, capacity: PRINCIPAL }, supervisor);
  return c;
}

async function reported(tq: string) {
  const c = await started(tq);
  const today = await c.today();
  await c.act('recordStatement', { receivedOn: today, summary: '申请人据实申诉' });
  await c.act('submitInvestigationReport', {
    submittedOn: today,
    findings: '推进集团化办学改革中先行先试，因缺乏经验出现失误',
    recommendation: 'exempt',
    circumstances: ['hz-6-2'],
    mitigating: [],
  });
  return c;
}

const exemption = (today: string, overrides: Partial<Omit<RecordDeterminationInput, 'actor'>> = {}): Omit<RecordDeterminationInput, 'actor'> => ({
  decidedOn: today,
  decidedBy: 'partyCommittee',
  outcome: 'exempt',
  circumstances: ['hz-6-2'],
  mitigating: [],
  conditions: ALL_CONDITIONS,
  exclusions: [],
  reasons: '符合第六条(二)情形及第七条全部条件',
  complex: false,
  ...overrides,
});

describe('Hangzhou exemption path', () => {
  it('runs from application to archive, then reminds the party organisation of follow-up visits for 12 months', async () => {
    await run(async (tq) => {
      const c = await started(tq);
      const today = await c.today();
      let state = await c.state();
      const verification = state.deadlines.find((d) => d.key === 'verification')!;
      expect(verification).toMatchObject({ binds: 'authority', amount: 1, unit: 'months', basis: { article: '第九条(四)' } });
      expect(verification.deadline).toBe((await c.expectedDeadline(today, 1, 'months')).deadline);

      await c.act('recordStatement', { receivedOn: today, summary: '当事人据实申诉，说明决策经过' });
      await c.act('recordHearing', { heldOn: today, summary: '召开听证会，听取各方意见' });
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '先行先试出现失误', recommendation: 'exempt', circumstances: ['hz-6-2'], mitigating: [] });
      state = await c.act('recordDetermination', exemption(today), supervisor);
      expect(state.deadlines.find((d) => d.key === 'verification')?.status).toBe('met');
      expect(state.determination?.effects.map((e) => e.basis.article)).toEqual(
        expect.arrayContaining(['第十条(一)', '第十条(六)', '第十四条']),
      );
      expect(state.stage).toBe('feedback');
      expect(state.documents.map((d) => [d.title, d.number])).toEqual([['容错免责认定结果反馈函', `杭教党函〔${today.slice(0, 4)}〕1号`]]);
      const feedback = state.deadlines.find((d) => d.key === 'feedback')!;
      expect(feedback).toMatchObject({ amount: 3, unit: 'workingDays', basis: { article: '第九条(五)' } });

      state = await c.act('serveNotice', { servedOn: today, servedTo: ['subject'] });
      expect(state.accountability.status).toBe('stopped');
      expect(state.alongside).toEqual(['correction']);
      state = await c.act('issueCorrectionList', { items: [], noneReason: '失误已主动纠正，无须责令纠错' });
      state = await c.act('recordFiling', { filedOn: today, reference: '驻局纪检监察组备案' });
      expect(state.filing?.filedWith).toBe('驻局纪检监察组');
      state = await c.act('archiveCase', { archivedOn: today, reference: '杭教档〔2026〕3号' });
      expect(state.stage).toBe('followUp');
      expect(state.followUp?.until).toBe(addMonthsClamped(await c.today(), 12));
      state = await c.act('recordFollowUpVisit', { visitedOn: await c.today(), summary: '谈心谈话，了解思想状态' });

      const final = await c.handle.result();
      expect(final).toMatchObject({ closed: true, outcome: 'exempt' });
      expect(final.followUp?.reminders).toHaveLength(4);
      const reminders = (await notificationsForCase(suite.db, c.input.caseId)).filter((n) => n.subject.startsWith('容错回访提醒'));
      expect(reminders).toHaveLength(4);
      await recordHistory('hangzhou-exempt', c.handle);
    });
  });

  it('refuses an exemption unless all six conditions of 第七条 are affirmed', async () => {
    await run(async (tq) => {
      const c = await reported(tq);
      const refusal = await c.refused('recordDetermination', exemption(await c.today(), { conditions: ALL_CONDITIONS.slice(0, 5) }), supervisor);
      expect(refusal.type).toBe('OutcomeNotAllowed');
      expect(refusal.message).toContain('第七条(六)');
      const excluded = await c.refused('recordDetermination', exemption(await c.today(), { exclusions: ['hz-8-3'] }), supervisor);
      expect(excluded.message).toContain('hz-8-3');
      const noCircumstance = await c.refused('recordDetermination', exemption(await c.today(), { circumstances: [] }), supervisor);
      expect(noCircumstance.type).toBe('OutcomeNotAllowed');
      await c.handle.terminate('test done');
    });
  });

  it('decides a complex case only after reporting upward (第九条(四))', async () => {
    await run(async (tq) => {
      const c = await reported(tq);
      const today = await c.today();
      expect((await c.refused('recordDetermination', exemption(today, { complex: true }), supervisor)).message).toContain('第九条(四)');
      await c.act('reportUpward', { reportedOn: today, reportedTo: '市纪委监委', reason: '社会影响较大' }, supervisor);
      const state = await c.act('recordDetermination', exemption(today, { complex: true }), supervisor);
      expect(state.determination?.outcome).toBe('exempt');
      await c.handle.terminate('test done');
    });
  });
});

describe('Hangzhou follow-up visits (第十四条 with 第二条)', () => {
  it('follows up a cadre handled leniently too: 容错免责 is 从轻、减轻处理或免予问责 (第二条)', async () => {
    await run(async (tq) => {
      const c = await reported(tq);
      const today = await c.today();
      await c.act('recordDetermination', exemption(today, { outcome: 'lenient', reasons: '符合第六条(二)情形，从轻处理' }), supervisor);
      await c.act('serveNotice', { servedOn: today, servedTo: ['subject'] });
      await c.act('issueCorrectionList', { items: [], noneReason: '失误已主动纠正' });
      await c.act('recordFiling', { filedOn: today });
      const state = await c.act('archiveCase', { archivedOn: today, reference: '杭教档〔2026〕5号' });
      expect(state.stage).toBe('followUp');
      expect(state.timeline.find((e) => e.event === 'followUpStarted')?.basis).toMatchObject({ article: '第十四条', reading: expect.stringContaining('第二条') });
      await c.handle.terminate('test done');
    });
  });
});

describe('Hangzhou denial path', () => {
  it('denies, gives feedback, orders correction (第十一条) and escalates it when overdue, files and archives, with no follow-up', async () => {
    await run(async (tq) => {
      const c = await reported(tq);
      const today = await c.today();
      await c.act('recordDetermination', exemption(today, { outcome: 'denied', conditions: [], circumstances: [], exclusions: ['hz-8-3'], reasons: '未按规定程序决策' }), supervisor);
      let state = await c.act('serveNotice', { servedOn: today, servedTo: ['subject'] });
      const dueOn = new Date(Date.parse(`${today}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
      state = await c.act('issueCorrectionList', { items: [{ id: 'Z1', description: '补正集体决策程序', owner: '某直属学校党委', dueOn }] });
      expect(state.documents.map((d) => d.title)).toContain('责令纠错通知书');
      await c.act('recordFiling', { filedOn: today });
      await c.act('archiveCase', { archivedOn: today, reference: '杭教档〔2026〕4号' });
      state = await c.sleep(4 * 86_400_000);
      expect(state.closed).toBe(false);
      expect(state.timeline.find((e) => e.event === 'correctionOverdue')?.basis?.article).toBe('第十一条(二)');
      expect(await notificationsForCase(suite.db, c.input.caseId)).toContainEqual(expect.objectContaining({ recipient: { kind: 'body', name: '驻局纪检监察组' } }));
      await c.act('fileRectificationReport', { itemId: 'Z1', reportedOn: await c.today(), summary: '已补正' });
      const final = await c.handle.result();
      expect(final).toMatchObject({ closed: true, outcome: 'denied', accountability: { status: 'proceeding' } });
      expect(final.followUp).toBeUndefined();
      await recordHistory('hangzhou-denied', c.handle);
    });
  });

  it('closes when the principal leader does not approve the start', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'hangzhou-education');
      const today = await c.today();
      await c.act('fileApplication', { filedBy: 'subjectOrganisation', receivedOn: today, summary: '申请' });
      const wrong = await c.refused('approveStart', { approved: true, approvedOn: today, capacity: '组织处处长' }, supervisor);
      expect(wrong).toMatchObject({ type: 'NotPermitted' });
      expect(wrong.message).toContain('第九条(二)');
      await c.act('approveStart', { approved: false, approvedOn: today, capacity: PRINCIPAL, reason: '不符合申请条件' }, supervisor);
      expect(await c.handle.result()).toMatchObject({ closed: true, outcome: 'notStarted' });
      expect(await findDossier(suite.db, c.input.caseId)).toMatchObject({ caseId: c.input.caseId, closed: true, outcome: 'notStarted' });
      await recordHistory('hangzhou-not-started-with-dossier', c.handle);
    });
  });
});

describe('Hangzhou hearing the applicant (第九条(三))', () => {
  it('refuses the report until the applicant’s statement is on file', async () => {
    await run(async (tq) => {
      const c = await started(tq);
      const today = await c.today();
      const report = { submittedOn: today, findings: '先行先试', recommendation: 'exempt' as const, circumstances: ['hz-6-2'], mitigating: [] };
      const early = await c.refused('submitInvestigationReport', report);
      expect(early).toMatchObject({ type: 'WrongStage', message: expect.stringContaining('第九条(三)') });
      await c.act('recordStatement', { receivedOn: today, summary: '申请人据实申诉', form: 'transcript' });
      expect((await c.act('submitInvestigationReport', report)).stage).toBe('deliberation');
      await c.handle.terminate('test done');
    });
  });
});

describe('Hangzhou application window (第九条(一), 7 working days)', () => {
  it('closes the case when nobody applies in time and nothing that arrived in time is recorded afterwards', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'hangzhou-education');
      const expected = await c.expectedDeadline(c.input.eventDate, 7, 'workingDays');
      await c.advanceTo('application', 60_000);
      const state = await c.advanceTo('applicationRecording', 60_000);
      expect(state).toMatchObject({ closed: true, outcome: 'noApplication' });
      expect(state.deadlines[0]).toMatchObject({ deadline: expected.deadline, status: 'lapsed', basis: { article: '第九条(一)' } });
    });
  });
});

describe('Hangzhou verification and deferral (第九条(四))', () => {
  it('marks the case overdue when the one-month verification lapses, and the case continues', async () => {
    await run(async (tq) => {
      const c = await reported(tq);
      const state = await c.advanceTo('verification', 60_000);
      expect(state.deadlines.find((d) => d.key === 'verification')?.status).toBe('lapsed');
      expect(state.stage).toBe('deliberation');
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.overdue)).toBe(true);
      expect((await notificationsForCase(suite.db, c.input.caseId)).map((n) => n.recipient)).toContainEqual({ kind: 'role', role: 'supervisor', authority: 'hz-jyj' });
      const decided = await c.act('recordDetermination', exemption(await c.today()), supervisor);
      expect(decided.deadlines.find((d) => d.key === 'verification')?.metAt).toBeDefined();
      await c.handle.terminate('test done');
    });
  });

  it('caps a deferral at three months from the day it is decided, refuses one day more, and holds the decision to it (暂缓时间不超过3个月)', async () => {
    await run(async (tq) => {
      const c = await reported(tq);
      // Decided on day 10 of the one-month verification: three months from that day, not from the month's end.
      await c.sleep(10 * DAY);
      const decidedOn = await c.today();
      const cap = addMonthsClamped(decidedOn, 3);
      expect((await c.state()).limits.find((l) => l.key === 'deferralLimit')).toBeUndefined();
      const beyond = await c.refused('deferDecision', { until: addDays(cap, 1), reason: '一时难以定论' }, supervisor);
      expect(beyond.type).toBe('LimitExceeded');
      expect(beyond.message).toContain(cap);
      expect(beyond.message).toContain('第九条(四)');

      let deferred = await c.act('deferDecision', { until: addDays(decidedOn, 30), reason: '一时难以定论' }, supervisor);
      expect(deferred.limits).toContainEqual(expect.objectContaining({ key: 'deferralLimit', deadline: cap, from: decidedOn, basis: expect.objectContaining({ article: '第九条(四)', reading: expect.stringContaining('自决定暂缓之日起算3个月') }) }));
      expect(deferred.deadlines.find((d) => d.key === 'verification')?.status).toBe('superseded');
      // A later deferral moves the day within the first one's cap, never the cap.
      await c.sleep(20 * DAY);
      expect((await c.refused('deferDecision', { until: addDays(cap, 1), reason: '仍难以定论' }, supervisor)).type).toBe('LimitExceeded');
      deferred = await c.act('deferDecision', { until: cap, reason: '仍难以定论' }, supervisor);
      expect(deferred.deadlines.find((d) => d.key === 'deferredDecision' && d.status === 'pending')).toMatchObject({ deadline: cap, binds: 'authority' });

      const lapsed = await c.advanceTo('deferredDecision', 60_000);
      expect(lapsed.deadlines.filter((d) => d.key === 'deferredDecision').at(-1)?.status).toBe('lapsed');
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.overdue)).toBe(true);
      expect(lapsed.stage).toBe('deliberation');
      await c.handle.terminate('test done');
    });
  });

  it('refuses a first deferral once the one-month verification has lapsed: the decision is due', async () => {
    await run(async (tq) => {
      const c = await reported(tq);
      await c.advanceTo('verification', 60_000);
      const late = await c.refused('deferDecision', { until: addDays(await c.today(), 10), reason: '一时难以定论' }, supervisor);
      expect(late.type).toBe('WrongStage');
      expect(late.message).toContain('核实认定期限已于');
      await c.handle.terminate('test done');
    });
  });
});

describe('Hangzhou feedback deadline (第九条(五), 3 working days)', () => {
  it('lapses into overdue with the supervisor told, and the feedback is still taken', async () => {
    await run(async (tq) => {
      const c = await reported(tq);
      await c.act('recordDetermination', exemption(await c.today()), supervisor);
      let state = await c.advanceTo('feedback', 60_000);
      expect(state.deadlines.find((d) => d.key === 'feedback')?.status).toBe('lapsed');
      expect(state.timeline.find((e) => e.event === 'deadlineLapsed')?.basis?.article).toBe('第九条(五)');
      state = await c.act('serveNotice', { servedOn: await c.today(), servedTo: ['subject'] });
      expect(state.stage).toBe('filing');
      await c.handle.terminate('test done');
    });
  });
});

describe('Hangzhou recusal', () => {
  it('refuses a decision taken by the subject itself', async () => {
    await run(async (tq) => {
      const c = await reported(tq);
      const refusal = await c.refused('recordDetermination', exemption(await c.today()), { ...subjectUser, roles: ['supervisor'] });
      expect(refusal.type).toBe('Recused');
      await c.handle.terminate('test done');
    });
  });
});

describe('Hangzhou clarification of a false report (第十三条)', () => {
  it('clears the name with the bodies the report reached and refers a malicious report to the 驻局纪检监察组, without changing the case', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'hangzhou-education');
      const before = await c.state();
      expect(before.availableActions.map((a) => a.name)).toContain('recordAccusationFalse');
      const today = await c.today();
      const found = { foundOn: today, finding: '反映的违规招生问题查无实据', malicious: true, clarifyTo: ['某中学'], means: '会议' };
      expect((await c.refused('recordAccusationFalse', found)).type).toBe('NotPermitted');
      await c.act('recordAccusationFalse', found, supervisor);
      const state = await c.settled();
      expect(state).toMatchObject({ stage: before.stage, closed: false, clarification: { clarifiedOn: today, malicious: true } });
      expect(state.documents.map((d) => [d.kind, d.title, d.basis.article])).toEqual([['clarification', '澄清事实通知书', '第十三条']]);
      expect(state.timeline.find((e) => e.event === 'maliciousAccusationReferred')?.basis?.article).toBe('第十三条(二)');
      expect(await notificationsForCase(suite.db, c.input.caseId)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ recipient: { kind: 'body', name: '某中学' } }),
          expect.objectContaining({ recipient: { kind: 'body', name: '驻局纪检监察组' }, subject: expect.stringContaining('移送查处') }),
        ]),
      );
      await c.handle.terminate('test done');
    });
  });
});
