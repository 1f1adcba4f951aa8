/**
 * The Jiaozuo procedure (焦作): started ex officio or on application, an
 * investigation alongside the accountability one with outside participants,
 * the party committee's collective decision with the advance filing before it,
 * execution, and an appeal against a refusal beside it. The text sets no day
 * counts: the authority's periods are the product's stated choices, and the
 * appeal has no window unless the deploying body sets one naming its rule.
 */
import { beijingDate } from '../../domain/calendar';
import type { CaseInput } from '../../domain/case/contract';
import { PRODUCT_CHOICE } from '../../domain/rulebooks';
import { documentsOfCase } from '../../store/documents';
import { notificationsForCase } from '../../store/notifications';
import { CaseDriver, supervisor, withCaseWorker } from '../support/case-driver';
import { eventually } from '../support/eventually';
import { recordHistory } from '../support/histories';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const run = <T>(fn: (taskQueue: string) => Promise<T>) => withCaseWorker(suite.env, suite.db, 'jiaozuo', fn);
const DAY = 86_400_000;

const determination = (today: string, outcome: 'exempt' | 'denied', joint = false) => ({
  decidedOn: today,
  decidedBy: 'partyCommittee' as const,
  outcome,
  circumstances: outcome === 'exempt' ? ['jz-4'] : [],
  mitigating: [],
  conditions: outcome === 'exempt' ? ['jz-c1', 'jz-c2', 'jz-c3'] : [],
  exclusions: outcome === 'denied' ? ['jz-x3'] : [],
  reasons: outcome === 'exempt' ? '符合具体事项(四)' : '经提醒仍不及时纠偏',
  complex: false,
  withAccountabilityDecision: joint,
});

describe('Jiaozuo ex officio start', () => {
  it('starts without an application, shows the deciders the advance filing, and runs to archive on exemption', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'jiaozuo', {
        input: { route: 'exOfficio', advanceFiling: { reference: '焦改备〔2026〕5号', filedWith: '市委全面深化改革领导小组', filedOn: '2026-01-10' } },
      });
      let state = await c.state();
      expect(state.stage).toBe('investigation');
      expect(state.application).toBeUndefined();
      expect(state.intake).toMatchObject({ route: 'exOfficio', basis: { article: '程序(一)启动' } });
      expect(state.deadlines.find((d) => d.key === 'investigationReport')?.basis).toMatchObject({ article: PRODUCT_CHOICE, reading: expect.stringContaining('原文未规定调查期限') });

      const today = await c.today();
      await c.act('recordParticipant', { kind: 'deputy', name: '市人大代表某某', summary: '参与调查核实' });
      await c.act('recordParticipant', { kind: 'serviceRecipient', name: '某企业', summary: '服务对象意见' });
      expect((await c.refused('recordParticipant', { kind: 'stakeholder', name: '某人', summary: '—' })).type).toBe('InvalidInput');
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '为确保工期采取特事特办措施', recommendation: 'exempt', circumstances: ['jz-4'], mitigating: [] });
      state = await c.state();
      expect(state.advanceFilingShown).toEqual({ present: true, reference: '焦改备〔2026〕5号' });
      expect(state.timeline.find((e) => e.event === 'advanceFilingShown')?.detail).toContain('焦改备〔2026〕5号');

      state = await c.act('recordDetermination', determination(today, 'exempt', true), supervisor);
      expect(state.timeline.find((e) => e.event === 'determined')?.detail).toContain('与问责决定一并研究');
      expect(state.documents.map((d) => [d.title, d.issuer])).toEqual([['容错决定书', 'decider']]);
      state = await c.act('serveNotice', { servedOn: today, servedTo: ['subject', 'subjectOrganisation'] });
      state = await c.act('recordExecution', { executedOn: today });
      expect(state.stage).toBe('archive');
      expect(state.deadlines.some((d) => d.key === 'appealWindow')).toBe(false);
      state = await c.act('archiveCase', { archivedOn: today, reference: '焦容档1号' });
      expect(state).toMatchObject({ closed: true, outcome: 'exempt', accountability: { status: 'stopped' } });
      await c.handle.result();
      await recordHistory('jiaozuo-exofficio-exempt', c.handle);
    });
  });
});

describe('Jiaozuo refusal on application', () => {
  it('records the accountability result and a rectification order, and takes the cadre’s appeal', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'jiaozuo', { input: { route: 'application' } });
      const today = await c.today();
      expect((await c.state()).stage).toBe('start');
      await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '书面申请容错' });
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '经提醒仍未纠偏', recommendation: 'denied', circumstances: [], mitigating: [] });
      expect((await c.state()).advanceFilingShown).toEqual({ present: false });
      await c.act('recordDetermination', determination(today, 'denied'), supervisor);
      await c.act('serveNotice', { servedOn: today, servedTo: ['subject', 'subjectOrganisation'] });
      const bare = await c.refused('recordExecution', { executedOn: today });
      expect(bare.message).toContain('accountabilityResult');
      let state = await c.act('recordExecution', { executedOn: today, accountabilityResult: '诫勉谈话', rectificationOrder: '限期一个月完成整改' });
      expect(state.timeline.find((e) => e.event === 'accountabilityRecorded')?.detail).toContain('限期一个月完成整改');
      expect(state).toMatchObject({ stage: 'archive', alongside: ['appeal'] });

      state = await c.act('fileAppeal', { receivedOn: await c.today(), summary: '对不予容错决定不服' });
      state = await c.act('decideAppeal', { decidedOn: await c.today(), result: 'upheld', reasons: '维持不予容错决定' }, supervisor);
      state = await c.act('archiveCase', { archivedOn: await c.today(), reference: '焦容档2号' });
      expect(state).toMatchObject({ closed: true, outcome: 'denied' });
      await c.handle.result();
      await recordHistory('jiaozuo-denied-appealed', c.handle);
    });
  });
});

describe('Jiaozuo deadlines lapsing (the product’s periods, stated as its choice)', () => {
  it('marks the investigation and the notice overdue', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'jiaozuo', { input: { route: 'exOfficio' } });
      let state = await c.advanceTo('investigationReport', 60_000);
      expect(state.deadlines.find((d) => d.key === 'investigationReport')?.status).toBe('lapsed');
      await c.act('submitInvestigationReport', { submittedOn: await c.today(), findings: '—', recommendation: 'denied', circumstances: [], mitigating: [] });
      await c.act('recordDetermination', determination(await c.today(), 'denied'), supervisor);
      state = await c.advanceTo('notice', 60_000);
      expect(state.deadlines.find((d) => d.key === 'notice')?.status).toBe('lapsed');
      expect((await notificationsForCase(suite.db, c.input.caseId)).filter((n) => n.subject.startsWith('【逾期】'))).toHaveLength(2);
      await c.handle.terminate('test done');
    });
  });

  it('marks the appeal decision overdue when it lapses', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'jiaozuo', { input: { route: 'exOfficio' } });
      const today = await c.today();
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '—', recommendation: 'denied', circumstances: [], mitigating: [] });
      await c.act('recordDetermination', determination(today, 'denied'), supervisor);
      await c.act('serveNotice', { servedOn: today, servedTo: ['subject', 'subjectOrganisation'] });
      await c.act('recordExecution', { executedOn: today, accountabilityResult: '通报批评', rectificationOrder: '整改' });
      await c.act('fileAppeal', { receivedOn: today, summary: '不服' });
      const state = await c.advanceTo('appealDecision', 60_000);
      expect(state.deadlines.find((d) => d.key === 'appealDecision')).toMatchObject({ status: 'lapsed', basis: { article: PRODUCT_CHOICE } });
      await c.handle.terminate('test done');
    });
  });
});

describe('Jiaozuo appeal against a refusal (程序(五) 按有关规定)', () => {
  /** A refusal decided and served ex officio: the appeal runs beside the execution. */
  async function refusedAndServed(tq: string, input: Partial<CaseInput> = {}) {
    const c = await CaseDriver.open(suite.env, suite.db, tq, 'jiaozuo', { input: { route: 'exOfficio', ...input } });
    const today = await c.today();
    await c.act('submitInvestigationReport', { submittedOn: today, findings: '经提醒仍未纠偏', recommendation: 'denied', circumstances: [], mitigating: [] });
    await c.act('recordDetermination', determination(today, 'denied'), supervisor);
    await c.act('serveNotice', { servedOn: today, servedTo: ['subject', 'subjectOrganisation'] });
    return c;
  }

  it('has no window the text does not set: an appeal 40 days after service is taken, while execution and archive go on', async () => {
    await run(async (tq) => {
      const c = await refusedAndServed(tq);
      let state = await c.state();
      expect(state.deadlines.some((d) => d.key === 'appealWindow')).toBe(false);
      const [decision] = await documentsOfCase(suite.db, c.input.caseId);
      // No window is invented: the document says the appeal goes by 有关规定, to the deciding authority by name.
      expect(decision?.body).toContain('可按有关规定向中共焦作市纪律检查委员会提出书面申诉（《办法》程序(五)执行）');
      expect(state.availableActions.map((a) => a.name)).toEqual(expect.arrayContaining(['fileAppeal', 'recordExecution']));
      state = await c.act('recordExecution', { executedOn: await c.today(), accountabilityResult: '通报批评', rectificationOrder: '整改' });
      state = await c.sleep(40 * DAY);
      state = await c.act('fileAppeal', { receivedOn: await c.today(), summary: '不服不予容错决定' });
      expect(state.appeal?.receivedOn).toBe(await c.today());
      state = await c.act('archiveCase', { archivedOn: await c.today(), reference: '焦容档3号' });
      expect(state.closed).toBe(false);
      state = await c.act('decideAppeal', { decidedOn: await c.today(), result: 'upheld', reasons: '维持不予容错决定' }, supervisor);
      expect(await c.handle.result()).toMatchObject({ closed: true, outcome: 'denied', alongside: [] });
      await recordHistory('jiaozuo-appeal-open-ended', c.handle);
    });
  });

  it('closes the case when it has run its course with no appeal', async () => {
    await run(async (tq) => {
      const c = await refusedAndServed(tq);
      await c.act('recordExecution', { executedOn: await c.today(), accountabilityResult: '通报批评', rectificationOrder: '整改' });
      await c.act('archiveCase', { archivedOn: await c.today(), reference: '焦容档4号' });
      expect(await c.handle.result()).toMatchObject({ closed: true, outcome: 'denied' });
    });
  });

  it('takes the window the deploying body set, naming its rule, and refuses an appeal once it closed', async () => {
    await run(async (tq) => {
      const appealWindow = { amount: 15, unit: 'days' as const, basis: { article: '《示例申诉规定》第八条', quote: '申诉应当自收到决定之日起十五日内提出' } };
      const c = await refusedAndServed(tq, { parameters: { appealWindow } });
      let state = await c.state();
      // Each party served has a window of its own, from its own service.
      for (const [key, label] of [['appealWindowSubject', '被调查对象'], ['appealWindowSubjectOrganisation', '所在党组织']] as const) {
        expect(state.deadlines.find((d) => d.key === key)).toMatchObject({ amount: 15, unit: 'days', label: expect.stringContaining(label), basis: { article: '《示例申诉规定》第八条' } });
      }
      await c.advanceTo('appealWindowSubject', 60_000);
      await c.advanceTo('appealWindowSubjectRecording', 60_000);
      // The recording periods' timers fire in a workflow task of their own: wait for what they do.
      state = await eventually(async () => {
        const s = await c.settled();
        expect(s.timeline.filter((e) => e.event === 'appealWindowClosed')).toHaveLength(2);
        return s;
      });
      const late = await c.refused('fileAppeal', { receivedOn: await c.today(), summary: '逾期申诉' });
      expect(late.type).toBe('WindowClosed');
      expect(late.message).toContain('《示例申诉规定》第八条');
      await c.handle.terminate('test done');
    });
  });
});

describe('Jiaozuo conditions of tolerance (容错纠错的条件)', () => {
  const reported = async (tq: string, input: Partial<CaseInput> = {}) => {
    const c = await CaseDriver.open(suite.env, suite.db, tq, 'jiaozuo', { input: { route: 'exOfficio', ...input } });
    return c;
  };

  it('needs all three conditions affirmed, an emergency’s 临时处置 standing in for 集体研究和民主决策', async () => {
    await run(async (tq) => {
      const c = await reported(tq);
      const today = await c.today();
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '为确保工期临机处置', recommendation: 'exempt', circumstances: ['jz-7'], mitigating: [] });
      const bare = await c.refused('recordDetermination', { ...determination(today, 'exempt'), circumstances: ['jz-7'], conditions: [] }, supervisor);
      expect(bare).toMatchObject({ type: 'OutcomeNotAllowed', message: expect.stringContaining('容错纠错的条件') });
      expect(bare.message).toContain('容错纠错的条件（客观）或容错纠错的条件（客观，除外）');
      const state = await c.act('recordDetermination', { ...determination(today, 'exempt'), circumstances: ['jz-7'], conditions: ['jz-c1', 'jz-c2e', 'jz-c3'] }, supervisor);
      expect(state.determination?.outcome).toBe('exempt');
      await c.handle.terminate('test done');
    });
  });

  it('tolerates a 特事特办 measure only with the government’s consent and the superior department’s, reported before it was implemented', async () => {
    await run(async (tq) => {
      const today = beijingDate(await suite.env.currentTimeMs());
      const dayBefore = new Date(Date.parse(`${today}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
      const c = await reported(tq, { attributes: { specialMeasure: true }, advanceMatters: { specialMeasure: { implementedOn: dayBefore } } });
      const step = (item: string, on: string) => ({ requirement: 'specialMeasure', item, reference: '焦政函〔2026〕1号', by: '焦作市人民政府', on });
      await c.act('recordAdvanceStep', step('governmentConsent', dayBefore));
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '为确保工期采取特事特办措施', recommendation: 'exempt', circumstances: ['jz-4'], mitigating: [] });
      const unreported = await c.refused('recordDetermination', determination(today, 'exempt'), supervisor);
      expect(unreported).toMatchObject({ type: 'OutcomeNotAllowed', message: expect.stringContaining('向上级业务主管部门报告') });
      await c.act('recordAdvanceStep', step('superiorReport', dayBefore));
      await c.act('recordAdvanceStep', step('superiorConsent', today));
      const late = await c.refused('recordDetermination', determination(today, 'exempt'), supervisor);
      expect(late.message).toContain('晚于实施日');
      await c.act('recordAdvanceStep', { ...step('superiorConsent', dayBefore), reference: '焦发改函〔2026〕2号', by: '河南省发展和改革委员会' });
      const state = await c.act('recordDetermination', determination(today, 'exempt'), supervisor);
      expect(state.determination?.outcome).toBe('exempt');
      expect(state.advanceSteps).toHaveLength(4);
      expect(state.timeline.find((e) => e.event === 'advanceStepRecorded')?.basis?.article).toBe('容错纠错的条件');
      await c.handle.terminate('test done');
    });
  });

  it('grounds no tolerance on the three steps out of order: the government’s consent first, then the report to the superior department and its consent', async () => {
    await run(async (tq) => {
      const today = beijingDate(await suite.env.currentTimeMs());
      const daysBefore = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);
      const c = await reported(tq, { attributes: { specialMeasure: true }, advanceMatters: { specialMeasure: { implementedOn: daysBefore(1) } } });
      const step = (item: string, on: string) => ({ requirement: 'specialMeasure', item, reference: '焦政函〔2026〕1号', by: '焦作市人民政府', on });
      // Reported to and approved by the superior department before the government consented: all before implementation, but out of order.
      await c.act('recordAdvanceStep', step('superiorReport', daysBefore(5)));
      await c.act('recordAdvanceStep', step('superiorConsent', daysBefore(4)));
      await c.act('recordAdvanceStep', step('governmentConsent', daysBefore(3)));
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '为确保工期采取特事特办措施', recommendation: 'exempt', circumstances: ['jz-4'], mitigating: [] });
      const outOfOrder = await c.refused('recordDetermination', determination(today, 'exempt'), supervisor);
      expect(outOfOrder.type).toBe('OutcomeNotAllowed');
      expect(outOfOrder.message).toContain(`须先经同级人民政府同意（${daysBefore(3)}），后向上级业务主管部门报告`);
      expect(outOfOrder.message).toContain('容错纠错的条件');
      // Reported again after the consent, and approved after that, still before implementation: in order now.
      await c.act('recordAdvanceStep', step('superiorReport', daysBefore(2)));
      expect((await c.refused('recordDetermination', determination(today, 'exempt'), supervisor)).message).toContain('后征得上级业务主管部门同意');
      await c.act('recordAdvanceStep', step('superiorConsent', daysBefore(1)));
      const state = await c.act('recordDetermination', determination(today, 'exempt'), supervisor);
      expect(state.determination?.outcome).toBe('exempt');
      await c.handle.terminate('test done');
    });
  });
});

