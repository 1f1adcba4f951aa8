/**
 * The Yangjiang procedure (阳江): intake by three routes, acceptance of an
 * application within 10 working days told in writing, an investigation of
 * exactly the matters raised (一事一核) within 30 working days, extendable with
 * the group's approval, approval by the same-level party committee or
 * government before the decision, county filing with the city group within 5
 * working days, feedback, and the correction list followed item by item.
 */
import { searchAttributes } from '../../domain/case/contract';
import { findDocument } from '../../store/documents';
import { notificationsForCase } from '../../store/notifications';
import { CaseDriver, supervisor, withCaseWorker } from '../support/case-driver';
import { recordHistory } from '../support/histories';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const run = <T>(fn: (taskQueue: string) => Promise<T>) => withCaseWorker(suite.env, suite.db, 'yangjiang', fn);
const RAISED = ['招商项目先期投入未达预期', '审批程序简化'];
const DAY = 86_400_000;

async function accepted(tq: string, level: 'city' | 'county' = 'county') {
  const c = await CaseDriver.open(suite.env, suite.db, tq, 'yangjiang', { input: { route: 'application', level, raisedItems: RAISED } });
  const today = await c.today();
  await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '书面申诉' });
  await c.act('decideAcceptance', { accepted: true, decidedOn: today }, supervisor);
  return c;
}

const report = (today: string, itemFindings = RAISED.map((item) => ({ item, finding: `${item}：属实，非主观原因` }))) => ({
  submittedOn: today,
  findings: '招商引资中积极作为，非主观原因造成失误',
  recommendation: 'exempt' as const,
  circumstances: ['yj-5'],
  mitigating: [],
  itemFindings,
});

const decision = (today: string, outcome: 'exempt' | 'denied', approval: { by: string; approvedOn: string } | 'none' = { by: '同级党委', approvedOn: today }) => ({
  decidedOn: today,
  decidedBy: 'authorityLeadership' as const,
  outcome,
  circumstances: outcome === 'exempt' ? ['yj-5'] : [],
  mitigating: [],
  conditions: [],
  exclusions: outcome === 'denied' ? ['yj-x5'] : [],
  reasons: outcome === 'exempt' ? '符合二(二)1(5)' : '消极应付造成损失扩大',
  complex: false,
  approval: approval === 'none' ? undefined : approval,
});

describe('Yangjiang exemption of a county case, with the correction list followed through', () => {
  it('accepts in writing, investigates only what was raised, files with the city group, and closes when every item is reported', async () => {
    await run(async (tq) => {
      const c = await accepted(tq);
      let state = await c.state();
      expect(state.documents.map((d) => [d.title, d.issuer])).toEqual([['容错申请受理决定告知书', 'investigationGroup']]);
      expect(state.deadlines.find((d) => d.key === 'acceptance')).toMatchObject({ status: 'met', basis: { article: '二(三)2' } });
      const today = await c.today();
      expect(state.deadlines.find((d) => d.key === 'investigationReport')).toMatchObject({ amount: 30, from: today, basis: { reading: expect.stringContaining('自受理决定之日起算') } });

      const beyond = await c.refused('submitInvestigationReport', report(today, [...RAISED, '另查出的其他问题'].map((item) => ({ item, finding: '—' }))));
      expect(beyond.message).toContain('二(三)3(1)');
      const partial = await c.refused('submitInvestigationReport', report(today, [{ item: RAISED[0]!, finding: '—' }]));
      expect(partial.message).toContain(RAISED[1]);
      // 二(三)3(3) 经容错调查工作小组研究同意: a collective decision, not one official's approval.
      const until = new Date(Date.parse(`${today}T00:00:00Z`) + 60 * DAY).toISOString().slice(0, 10);
      const byOneOfficial = await c.refused('extendInvestigation', { until, reason: '较为复杂', approvedBy: '工作小组组长张某' });
      expect(byOneOfficial).toMatchObject({ type: 'InvalidInput', message: expect.stringContaining('groupDecision：须经容错调查工作小组研究同意') });
      expect(byOneOfficial.message).toContain('二(三)3(3)');
      state = await c.act('extendInvestigation', { until, reason: '涉及事项较为复杂', groupDecision: { metOn: today, decision: '同意延长调查时间至两个月' } });
      expect(state.extensions.at(-1)).toMatchObject({ approvedBy: '容错调查工作小组', groupDecision: { by: '容错调查工作小组', metOn: today, decision: '同意延长调查时间至两个月' } });
      expect(state.timeline.find((e) => e.event === 'investigationExtended')?.detail).toContain(`经容错调查工作小组于 ${today} 研究同意`);
      await c.act('recordParticipant', { kind: 'cppccMember', name: '县政协委员某某', summary: '参与调查' });
      await c.act('submitInvestigationReport', report(today));

      const unapproved = await c.refused('recordDetermination', decision(today, 'exempt', 'none'), supervisor);
      expect(unapproved.message).toContain('同级党委或同级政府');
      state = await c.act('recordDetermination', decision(today, 'exempt'), supervisor);
      expect(state.stage).toBe('filing');
      expect(state.deadlines.find((d) => d.key === 'filing')).toMatchObject({ amount: 5, unit: 'workingDays', basis: { article: '二(三)4' } });
      state = await c.act('recordFiling', { filedOn: today, reference: '阳容备〔2026〕2号' });
      expect(state.filing?.filedWith).toBe('市容错调查工作小组');

      // 二(五)4 纠错建议与调查认定一并反馈: the feedback waits for the list; the two go out together.
      expect(state.stage).toBe('feedback');
      expect(state.availableActions.map((a) => a.name)).toEqual(expect.arrayContaining(['issueCorrectionList']));
      expect(state.availableActions.map((a) => a.name)).not.toContain('serveNotice');
      expect(state.documents.map((d) => d.kind)).toEqual(['acceptanceNotice']);
      const inAMonth = new Date(Date.parse(`${today}T00:00:00Z`) + 30 * DAY).toISOString().slice(0, 10);
      const inAWeek = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * DAY).toISOString().slice(0, 10);
      state = await c.act('issueCorrectionList', {
        items: [
          { id: 'C1', description: '完善招商项目先期投入评估制度', owner: '县投资促进局', dueOn: inAMonth },
          { id: 'C2', description: '补正审批档案', owner: '县行政服务中心', dueOn: inAWeek },
        ],
      });
      expect(state.documents.map((d) => d.title)).toEqual(['容错申请受理决定告知书', '纠错建议清单', '容错调查处理情况反馈函']);
      const list = state.documents[1]!;
      const letter = (await findDocument(suite.db, state.documents[2]!.documentId))!.body;
      expect(letter).toContain(`附件：纠错建议清单（${list.number}）`);
      expect(letter).toContain('与本认定一并反馈');
      state = await c.act('serveNotice', { servedOn: today, servedTo: ['subject'] });
      expect(await notificationsForCase(suite.db, c.input.caseId)).toContainEqual(
        expect.objectContaining({ recipient: { kind: 'body', name: '问责、廉政评价、提拔交流、绩效管理有关部门' } }),
      );
      expect(state.stage).toBe('correction');
      // Issued once, with the feedback: not again when the correction step follows the items.
      expect(state.documents.filter((d) => d.kind === 'correctionList')).toHaveLength(1);
      await c.act('fileRectificationReport', { itemId: 'C1', reportedOn: await c.today(), summary: '已制定评估办法' });

      state = await c.sleep(8 * DAY);
      const c2 = state.correctionList!.items.find((i) => i.id === 'C2')!;
      expect(c2).toMatchObject({ status: 'open', overdue: true });
      expect(state.timeline.find((e) => e.event === 'correctionOverdue')?.detail).toContain('纪检监察机关');
      expect(await notificationsForCase(suite.db, c.input.caseId)).toContainEqual(
        expect.objectContaining({ recipient: { kind: 'body', name: '纪检监察机关' }, subject: expect.stringContaining('整改逾期') }),
      );
      expect(state.closed).toBe(false);

      await c.act('fileRectificationReport', { itemId: 'C2', reportedOn: await c.today(), summary: '已补正' });
      const final = await c.handle.result();
      expect(final).toMatchObject({ closed: true, outcome: 'exempt' });
      expect(final.correctionList?.items.map((i) => [i.id, i.status, i.overdue])).toEqual([
        ['C1', 'reported', false],
        ['C2', 'reported', true],
      ]);
      await recordHistory('yangjiang-exempt-corrected', c.handle);
    });
  });
});

describe('Yangjiang grounds and exclusions (二(二)1, 二(二)2)', () => {
  it('bars 减轻 and 从轻 as well as 免责 when an excluded circumstance is found, and lets (20) ground an exemption', async () => {
    await run(async (tq) => {
      const c = await accepted(tq);
      const today = await c.today();
      await c.act('submitInvestigationReport', report(today));
      const mitigated = await c.refused('recordDetermination', { ...decision(today, 'exempt'), outcome: 'mitigated', circumstances: [], mitigating: ['yj-19'], exclusions: ['yj-x2'] }, supervisor);
      expect(mitigated.type).toBe('OutcomeNotAllowed');
      expect(mitigated.message).toContain('二(二)2');
      const exemptOnMitigating = await c.refused('recordDetermination', { ...decision(today, 'exempt'), circumstances: [], mitigating: ['yj-19'] }, supervisor);
      expect(exemptOnMitigating.message).toContain('可作为免责依据');
      const state = await c.act('recordDetermination', { ...decision(today, 'exempt'), circumstances: ['yj-20'] }, supervisor);
      expect(state.determination).toMatchObject({ outcome: 'exempt', circumstances: ['yj-20'] });
      await c.handle.terminate('test done');
    });
  });
});

describe('Yangjiang refusal to accept', () => {
  it('closes the case and tells the applicant in writing', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'yangjiang', { input: { route: 'application' } });
      const today = await c.today();
      await c.act('fileApplication', { filedBy: 'subjectOrganisation', receivedOn: today, summary: '申诉' });
      expect((await c.refused('decideAcceptance', { accepted: false, decidedOn: today }, supervisor)).message).toContain('reason');
      await c.act('decideAcceptance', { accepted: false, decidedOn: today, reason: '不属于容错调查范围' }, supervisor);
      const final = await c.handle.result();
      expect(final).toMatchObject({ closed: true, outcome: 'notAccepted' });
      expect(final.documents.map((d) => d.title)).toEqual(['容错申请受理决定告知书']);
      expect(await notificationsForCase(suite.db, c.input.caseId)).toContainEqual(
        expect.objectContaining({ recipient: { kind: 'party', party: 'subjectOrganisation' }, subject: '容错免责申请不予受理' }),
      );
    });
  });
});

describe('Yangjiang refusal on an accountability body’s opinion, city level', () => {
  it('needs no acceptance or filing, and closes once the only correction item is waived with a reason', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'yangjiang', { input: { route: 'accountabilityBodyOpinion', level: 'city', raisedItems: RAISED } });
      const today = await c.today();
      let state = await c.state();
      expect(state.stage).toBe('investigation');
      await c.act('submitInvestigationReport', { ...report(today), recommendation: 'denied', circumstances: [] });
      await c.act('recordDetermination', decision(today, 'denied', { by: '同级政府', approvedOn: today }), supervisor);
      state = await c.state();
      expect(state.stage).toBe('feedback');
      const due = new Date(Date.parse(`${today}T00:00:00Z`) + 30 * DAY).toISOString().slice(0, 10);
      await c.act('issueCorrectionList', { items: [{ id: 'C1', description: '建立监管台账', owner: '市某局', dueOn: due }] });
      await c.act('serveNotice', { servedOn: today, servedTo: ['subject'] });
      expect((await c.refused('waiveCorrectionItem', { itemId: 'C1', reason: '已另案整改' })).type).toBe('NotPermitted');
      await c.act('waiveCorrectionItem', { itemId: 'C1', reason: '已另案整改' }, supervisor);
      const final = await c.handle.result();
      expect(final).toMatchObject({ closed: true, outcome: 'denied' });
      expect(final.filing).toBeUndefined();
      await recordHistory('yangjiang-denied', c.handle);
    });
  });
});

describe('Yangjiang deadlines lapsing', () => {
  it('marks overdue the acceptance (10 working days), the investigation (30) and the county filing (5)', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'yangjiang', { input: { route: 'application', level: 'county', raisedItems: RAISED } });
      await c.act('fileApplication', { filedBy: 'subject', receivedOn: await c.today(), summary: '申诉' });
      let state = await c.advanceTo('acceptance', 60_000);
      expect(state.deadlines.find((d) => d.key === 'acceptance')?.status).toBe('lapsed');
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.overdue)).toBe(true);
      await c.act('decideAcceptance', { accepted: true, decidedOn: await c.today() }, supervisor);
      state = await c.advanceTo('investigationReport', 60_000);
      expect(state.deadlines.find((d) => d.key === 'investigationReport')?.status).toBe('lapsed');
      await c.act('submitInvestigationReport', report(await c.today()));
      await c.act('recordDetermination', decision(await c.today(), 'exempt'), supervisor);
      state = await c.advanceTo('filing', 60_000);
      expect(state.deadlines.find((d) => d.key === 'filing')?.status).toBe('lapsed');
      expect((await notificationsForCase(suite.db, c.input.caseId)).filter((n) => n.subject.startsWith('【逾期】'))).toHaveLength(3);
      await c.handle.terminate('test done');
    });
  });
});
