/**
 * The Yinchuan procedure (银川): application within 10 working days,
 * acceptance suspending the accountability, a written report within 15
 * working days (extendable to 30 in all, never beyond), the 认定书 within 10
 * working days to the accountability body and the applicant, and the archive.
 */
import { searchAttributes } from '../../domain/case/contract';
import { notificationsForCase } from '../../store/notifications';
import { CaseDriver, supervisor, withCaseWorker } from '../support/case-driver';
import { recordHistory } from '../support/histories';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const run = <T>(fn: (taskQueue: string) => Promise<T>) => withCaseWorker(suite.env, suite.db, 'yinchuan', fn);

async function accepted(tq: string) {
  const c = await CaseDriver.open(suite.env, suite.db, tq, 'yinchuan');
  const today = await c.today();
  await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' });
  await c.act('decideAcceptance', { accepted: true, decidedOn: today }, supervisor);
  return c;
}

async function reported(tq: string, recommendation: 'exempt' | 'denied' = 'exempt') {
  const c = await accepted(tq);
  await c.act('submitInvestigationReport', { submittedOn: await c.today(), findings: '容缺受理中出现偏差', recommendation, circumstances: ['yc-4'], mitigating: [] });
  return c;
}

const decide = async (c: CaseDriver, outcome: 'exempt' | 'denied') =>
  c.act(
    'recordDetermination',
    {
      decidedOn: await c.today(),
      decidedBy: 'authorityLeadership',
      outcome,
      circumstances: outcome === 'exempt' ? ['yc-4'] : [],
      mitigating: [],
      conditions: [],
      exclusions: outcome === 'denied' ? ['yc-x3'] : [],
      reasons: outcome === 'exempt' ? '符合容错情形(四)' : '严重侵害群众利益',
      complex: false,
    },
    supervisor,
  );

describe('Yinchuan exemption path', () => {
  it('suspends accountability on acceptance, records the expert consulted, issues the 认定书 and stops accountability', async () => {
    await run(async (tq) => {
      const c = await accepted(tq);
      let state = await c.state();
      expect(state.accountability.status).toBe('suspended');
      expect(state.timeline.find((e) => e.event === 'accountabilitySuspended')?.basis?.article).toBe('暂缓追责');
      expect(state.timeline.find((e) => e.event === 'otherLeadsContinue')?.detail).toContain('其他问题线索的继续调查');
      expect(await notificationsForCase(suite.db, c.input.caseId)).toContainEqual(
        expect.objectContaining({ recipient: { kind: 'body', name: '区纪委监委' }, subject: expect.stringContaining('暂缓追责') }),
      );
      const today = await c.today();
      const report = state.deadlines.find((d) => d.key === 'investigationReport')!;
      expect(report).toMatchObject({ amount: 15, unit: 'workingDays', deadline: (await c.expectedDeadline(today, 15, 'workingDays')).deadline });
      expect(report.basis.reading).toContain('自受理之日起算');
      expect(state.limits.find((l) => l.key === 'extensionLimit')?.basis.reading).toContain('总长');

      await c.act('recordParticipant', { kind: 'expert', name: '某大学教授', summary: '对容缺受理的风险作出评估' });
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '容缺受理中出现偏差', recommendation: 'exempt', circumstances: ['yc-4'], mitigating: [] });
      state = await decide(c, 'exempt');
      expect(state.determination?.effects.map((e) => e.basis.article)).toEqual(['容错情形', '结果运用(一)', '结果运用(二)', '结果运用(三)']);
      expect(state.documents.map((d) => [d.title, d.issuer])).toEqual([['容错免责认定书', 'authority']]);
      expect(state.deadlines.find((d) => d.key === 'determinationNotice')).toMatchObject({ amount: 10, from: today, basis: { article: '程序(三)认定' } });

      // The 认定书 is served on the applicant and the accountability body; serving one of them is not yet service.
      state = await c.act('serveNotice', { servedOn: today, servedTo: ['subject'] });
      expect(state.notice).toBeUndefined();
      expect(state.accountability.status).toBe('suspended');
      expect((await c.refused('serveNotice', { servedOn: today, servedTo: ['subject'] })).message).toContain(`被调查对象 已于 ${today} 送达`);
      state = await c.act('serveNotice', { servedOn: today, servedTo: ['accountabilityBody'] });
      expect(state.notice).toMatchObject({ servedOn: today, servedTo: ['accountabilityBody', 'subject'] });
      expect(state.accountability.status).toBe('stopped');
      state = await c.act('archiveCase', { archivedOn: today, reference: '银纪档〔2026〕1号' });
      expect(state).toMatchObject({ closed: true, outcome: 'exempt' });
      await c.handle.result();
      await recordHistory('yinchuan-exempt', c.handle);
    });
  });
});

describe('Yinchuan 认定书 to the applicant, whoever applied (程序(三) 申请单位或个人)', () => {
  it('goes to the unit that applied and the accountability body, not to the subject', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'yinchuan');
      const today = await c.today();
      await c.act('fileApplication', { filedBy: 'subjectOrganisation', receivedOn: today, summary: '单位申请容错免责' });
      await c.act('decideAcceptance', { accepted: true, decidedOn: today }, supervisor);
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '容缺受理中出现偏差', recommendation: 'exempt', circumstances: ['yc-4'], mitigating: [] });
      await decide(c, 'exempt');
      const notTheApplicant = await c.refused('serveNotice', { servedOn: today, servedTo: ['subject'] });
      expect(notTheApplicant.message).toContain('被调查对象 不是本结论的受送达人');
      let state = await c.act('serveNotice', { servedOn: today, servedTo: ['accountabilityBody', 'subjectOrganisation'] });
      expect(state.notice?.servedTo).toEqual(['accountabilityBody', 'subjectOrganisation']);
      expect(await notificationsForCase(suite.db, c.input.caseId)).toContainEqual(
        expect.objectContaining({ recipient: { kind: 'party', party: 'subjectOrganisation' }, service: { stage: 'determinationNotice', party: 'subjectOrganisation' } }),
      );
      state = await c.act('archiveCase', { archivedOn: today, reference: '银纪档〔2026〕3号' });
      expect(state).toMatchObject({ closed: true, outcome: 'exempt' });
      await c.handle.result();
      await recordHistory('yinchuan-unit-applicant', c.handle);
    });
  });
});

describe('Yinchuan refusal', () => {
  it('denies, resumes the suspended accountability and archives', async () => {
    await run(async (tq) => {
      const c = await reported(tq, 'denied');
      await decide(c, 'denied');
      let state = await c.act('serveNotice', { servedOn: await c.today(), servedTo: ['accountabilityBody', 'subject'] });
      expect(state.accountability.status).toBe('proceeding');
      expect(state.timeline.some((e) => e.event === 'accountabilityResumed')).toBe(true);
      state = await c.act('archiveCase', { archivedOn: await c.today(), reference: '银纪档〔2026〕2号' });
      expect(state).toMatchObject({ closed: true, outcome: 'denied' });
      await c.handle.result();
      await recordHistory('yinchuan-denied', c.handle);
    });
  });
});

describe('Yinchuan investigation extension (程序(二), never beyond 30 working days in all)', () => {
  it('accepts an extension to exactly the 30th working day and refuses one working day more', async () => {
    await run(async (tq) => {
      const c = await accepted(tq);
      const start = (await c.state()).acceptance!.decidedOn;
      const cap = await c.expectedDeadline(start, 30, 'workingDays');
      const beyond = await c.expectedDeadline(start, 31, 'workingDays');
      const refused = await c.refused('extendInvestigation', { until: beyond.deadline, reason: '情况复杂', approvedBy: '纪委常委会' });
      expect(refused.type).toBe('LimitExceeded');
      expect(refused.message).toContain(cap.deadline);
      const state = await c.act('extendInvestigation', { until: cap.deadline, reason: '情况复杂，一时难以定论', approvedBy: '纪委常委会' });
      expect(state.deadlines.filter((d) => d.key === 'investigationReport').map((d) => [d.deadline, d.status])).toEqual([
        [(await c.expectedDeadline(start, 15, 'workingDays')).deadline, 'superseded'],
        [cap.deadline, 'pending'],
      ]);
      await c.handle.terminate('test done');
    });
  });
});

describe('Yinchuan 认定书 deadline (程序(三), 10 working days from the report)', () => {
  it('runs and is watched from the report, before the determination is made', async () => {
    await run(async (tq) => {
      const c = await reported(tq);
      const reportedOn = (await c.state()).investigationReport!.submittedOn;
      const expected = (await c.expectedDeadline(reportedOn, 10, 'workingDays')).deadline;
      let state = await c.state();
      expect(state.stage).toBe('determination');
      expect(state.availableActions.find((a) => a.name === 'recordDetermination')?.deadline).toBe(expected);
      state = await c.advanceTo('determinationNotice', 60_000);
      expect(state.stage).toBe('determination');
      expect(state.deadlines.find((d) => d.key === 'determinationNotice')).toMatchObject({ status: 'lapsed', deadline: expected });
      expect((await notificationsForCase(suite.db, c.input.caseId)).some((n) => n.subject.startsWith('【逾期】') && n.subject.includes('认定书'))).toBe(true);
      await c.handle.terminate('test done');
    });
  });
});

describe('Yinchuan deadlines lapsing', () => {
  it('closes the case for want of an application only when the recording period after the 10 working days ends with nothing recorded', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'yinchuan');
      let state = await c.advanceTo('application', 60_000);
      expect(state.closed).toBe(false);
      expect(state.deadlines[0]).toMatchObject({ amount: 10, status: 'lapsed', basis: { article: '程序(一)申请' } });
      const recording = state.deadlines.find((d) => d.key === 'applicationRecording')!;
      expect(recording).toMatchObject({ binds: 'recording', amount: 5, unit: 'workingDays', status: 'pending', basis: { article: '本规则设定（原文未规定）' } });
      expect(recording.deadline).toBe((await c.expectedDeadline(state.deadlines[0]!.deadline, 5, 'workingDays')).deadline);
      expect(state.availableActions.find((a) => a.name === 'fileApplication')?.deadline).toBe(recording.deadline);

      state = await c.advanceTo('applicationRecording', 60_000);
      expect(state).toMatchObject({ closed: true, outcome: 'noApplication' });
      const late = await c.handle.result().then((s) => s.timeline.map((e) => e.event));
      expect(late).toEqual(expect.arrayContaining(['windowLapsed', 'noApplication', 'caseClosed']));
      await recordHistory('yinchuan-application-lapsed-after-recording', c.handle);
    });
  });

  it('marks the case overdue when the 15-working-day report lapses, and later when the 认定书 is late', async () => {
    await run(async (tq) => {
      const c = await accepted(tq);
      let state = await c.advanceTo('investigationReport', 60_000);
      expect(state.deadlines.find((d) => d.key === 'investigationReport')?.status).toBe('lapsed');
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.overdue)).toBe(true);
      await c.act('submitInvestigationReport', { submittedOn: await c.today(), findings: '—', recommendation: 'exempt', circumstances: ['yc-4'], mitigating: [] });
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.overdue)).toBe(false);
      await decide(c, 'exempt');
      state = await c.advanceTo('determinationNotice', 60_000);
      expect(state.deadlines.find((d) => d.key === 'determinationNotice')?.status).toBe('lapsed');
      expect(state.stage).toBe('determinationNotice');
      const lapses = (await notificationsForCase(suite.db, c.input.caseId)).filter((n) => n.subject.startsWith('【逾期】'));
      expect(lapses).toHaveLength(2);
      await c.handle.terminate('test done');
    });
  });
});
