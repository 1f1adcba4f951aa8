/**
 * A jurisdiction the code has never seen runs on a rulebook alone: the
 * engine's building blocks are composed by data, with no new workflow code.
 */
import { rulebookSchema, type RulebookInput } from '../../domain/rulebooks';
import { CaseDriver, supervisor, withCaseWorker } from '../support/case-driver';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();

const art = (article: string) => ({ article, quote: `示例规则${article}` });
const sixth: RulebookInput = {
  id: 'demo-county',
  name: '示例县容错免责办法（测试用）',
  issuingBody: '中共示例县委',
  version: '2026-01',
  inForce: '2026-01-01',
  source: 'test',
  documentNumberPrefix: '示容',
  catalogues: { eligible: { basis: art('第三条'), items: [{ id: 'demo-3-1', article: '第三条(一)', text: '先行先试出现失误' }] } },
  effects: { exempt: [{ text: '免于追责', basis: art('第九条'), stopsAccountability: true }] },
  steps: [
    { kind: 'partyWindow', stage: 'application', label: '提出申请', countsFrom: 'caseEvent', deadline: { amount: 5, unit: 'workingDays', basis: art('第五条') }, filers: ['subject'], onLapse: { outcome: 'noApplication', explanation: '逾期未申请' } },
    { kind: 'investigation', stage: 'investigation', label: '调查核实', basis: art('第六条'), roles: ['officer'] },
    {
      kind: 'deliberation', stage: 'deliberation', label: '集体研究', basis: art('第七条'), roles: ['supervisor'], outcomes: ['exempt', 'denied'],
      deciders: [{ id: 'authorityLeadership', name: '县纪委常委会' }],
      toleranceRequires: { outcomes: ['exempt'], allConditions: false, eligibleCircumstance: true, noExclusion: true, basis: art('第三条') },
    },
    {
      kind: 'notice', stage: 'notice', label: '书面告知', deadline: { amount: 3, unit: 'workingDays', basis: art('第八条') }, roles: ['officer'], recipients: ['subject'],
      documents: [{ outcomes: ['exempt', 'denied'], document: { kind: 'determinationNotice', title: '认定书', basis: art('第八条') } }],
      copyTo: [],
    },
    { kind: 'archive', stage: 'archive', label: '归档', basis: art('第十条'), roles: ['officer'] },
  ],
};

describe('a sixth jurisdiction', () => {
  it('runs from application to archive on its rulebook alone', async () => {
    await withCaseWorker(suite.env, suite.db, 'sixth', async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'demo-county', { rulebook: rulebookSchema.parse(sixth) });
      const today = await c.today();
      await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请' });
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '先行先试', recommendation: 'exempt', circumstances: ['demo-3-1'], mitigating: [] });
      const outcomeRefused = await c.refused(
        'recordDetermination',
        { decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'lenient', circumstances: [], mitigating: [], conditions: [], exclusions: [], reasons: '—', complex: false },
        supervisor,
      );
      expect(outcomeRefused.type).toBe('OutcomeNotAllowed');
      let state = await c.act(
        'recordDetermination',
        { decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['demo-3-1'], mitigating: [], conditions: [], exclusions: [], reasons: '符合第三条(一)', complex: false },
        supervisor,
      );
      expect(state.documents.map((d) => d.number)).toEqual([`示容〔${today.slice(0, 4)}〕1号`]);
      state = await c.act('serveNotice', { servedOn: today, servedTo: ['subject'] });
      expect(state.accountability.status).toBe('stopped');
      await c.act('archiveCase', { archivedOn: today, reference: '示档1号' });
      expect(await c.handle.result()).toMatchObject({ closed: true, outcome: 'exempt', jurisdiction: 'demo-county' });
    });
  });
});

describe('a step beside the main line', () => {
  const correction = {
    kind: 'correction' as const, stage: 'correction', label: '限期整改', roles: ['officer' as const], waiverRoles: ['supervisor' as const], basis: art('第十一条'),
    document: { kind: 'correctionList' as const, title: '整改通知书', basis: art('第十一条') }, escalateTo: '县纪委', alongside: true,
  };
  const withCorrection = rulebookSchema.parse({ ...sixth, steps: [...sixth.steps.slice(0, 4), correction, sixth.steps[4]] });

  it('runs beside the later steps without holding them up, and the case closes only once both are done', async () => {
    await withCaseWorker(suite.env, suite.db, 'sixth', async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'demo-county', { rulebook: withCorrection });
      const today = await c.today();
      await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请' });
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '先行先试', recommendation: 'exempt', circumstances: ['demo-3-1'], mitigating: [] });
      await c.act(
        'recordDetermination',
        { decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['demo-3-1'], mitigating: [], conditions: [], exclusions: [], reasons: '符合第三条(一)', complex: false },
        supervisor,
      );
      let state = await c.act('serveNotice', { servedOn: today, servedTo: ['subject'] });
      expect(state.stage).toBe('archive');
      expect(state.alongside).toEqual(['correction']);
      expect(state.availableActions.map((a) => a.name)).toEqual(expect.arrayContaining(['archiveCase', 'issueCorrectionList']));

      state = await c.act('archiveCase', { archivedOn: today, reference: '示档2号' });
      expect(state.closed).toBe(false);
      const dueOn = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
      await c.act('issueCorrectionList', { items: [{ id: 'C1', description: '完善审批档案', owner: '某街道党工委', dueOn }] });
      state = await c.act('fileRectificationReport', { itemId: 'C1', reportedOn: today, summary: '已完善' });
      expect(await c.handle.result()).toMatchObject({ closed: true, outcome: 'exempt', alongside: [] });
    });
  });
});

