/**
 * Steps that carry their papers: a filing its written application, the
 * report its text, the deliberation its minutes, a served notice its proof
 * of service. Where the rulebook lets a step proceed without its scan, the
 * case records the step and shows the paper missing until it is attached;
 * where it does not, the step is refused naming the paper and its article.
 */
import { beijingDate } from '../../domain/calendar';
import type { PaperRef } from '../../domain/case/materials';
import { rulebookInForce, rulebookSchema } from '../../domain/rulebooks';
import { CaseDriver, supervisor, withCaseWorker } from '../support/case-driver';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const paper = (kind: string, title: string, n: number): PaperRef => ({ materialId: `00000000-0000-4000-8000-00000000000${n}`, kind, title, sha256: `${n}`.repeat(64), sm3: `${n}`.repeat(64) });

describe('papers on a Binhai case', () => {
  it('records each step with the papers it carries, shows what the rulebook asks and is missing, and clears it when attached later', async () => {
    await withCaseWorker(suite.env, suite.db, 'papers', async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      const today = await c.today();
      // The application recorded from paper, its scan to come.
      let state = await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '书面申请' });
      expect(state.papers?.missing).toEqual([expect.objectContaining({ requirement: 'writtenApplication', step: 'fileApplication', label: '书面《容错免责申请》', article: '第十二条(二)' })]);
      // Papers only for a step that carries them, and only for a step already taken.
      expect((await c.refused('attachPapers', { step: 'submitInvestigationReport', papers: [paper('investigationReport', '调查报告', 2)] })).message).toContain('尚未办理');
      state = await c.act('attachPapers', { step: 'fileApplication', papers: [paper('application', '容错免责申请（扫描件）', 1)] });
      expect(state.papers?.missing).toEqual([]);
      expect(state.papers?.attached).toEqual([expect.objectContaining({ materialId: paper('application', '', 1).materialId, step: 'fileApplication', kind: 'application' })]);
      expect(state.timeline.at(-1)).toMatchObject({ event: 'papersAttached', detail: expect.stringContaining('容错免责申请（扫描件）') });
      await c.act('appointInvestigationGroup', { appointedOn: today, members: [{ name: '甲调查', declaresNoConflict: true }, { name: '乙调查', declaresNoConflict: true }] });
      await c.act('recordStatement', { receivedOn: today, summary: '本人陈述', form: 'interviewRecord', papers: [paper('interviewRecord', '谈话记录', 3)] });
      state = await c.act('submitInvestigationReport', {
        submittedOn: today,
        findings: '先行先试',
        recommendation: 'exempt',
        circumstances: ['binhai-6-1'],
        mitigating: [],
        papers: [paper('investigationReport', '调查报告', 4)],
      });
      expect(state.papers?.missing).toEqual([]);
      // The deliberation without its minutes: recorded, the minutes shown missing.
      state = await c.act(
        'recordDetermination',
        { decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-1'], mitigating: [], conditions: [], exclusions: [], reasons: '符合第六条(一)', complex: false },
        supervisor,
      );
      expect(state.papers?.missing.map((m) => m.requirement)).toEqual(['deliberationMinutes']);
      // A step that carries no papers refuses them.
      expect((await c.refused('recordFiling', { filedOn: today, papers: [paper('other', '其他', 5)] })).type).toBe('InvalidInput');
      state = await c.act('attachPapers', { step: 'recordDetermination', papers: [paper('minutes', '领导班子会议纪要', 6)] });
      expect(state.papers?.missing).toEqual([]);
      expect(state.papers?.attached.map((p) => [p.step, p.title])).toEqual([
        ['fileApplication', '容错免责申请（扫描件）'],
        ['recordStatement', '谈话记录'],
        ['submitInvestigationReport', '调查报告'],
        ['recordDetermination', '领导班子会议纪要'],
      ]);
    });
  });

  it('refuses a step the rulebook will not let proceed without its scan, naming the paper and the article', async () => {
    const book = rulebookInForce('binhai', beijingDate(Date.now()))!;
    const strict = rulebookSchema.parse({ ...book, papers: book.papers!.map((p) => (p.id === 'writtenApplication' ? { ...p, mayProceedWithout: false } : p)) });
    await withCaseWorker(suite.env, suite.db, 'strict-papers', async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai', { rulebook: strict });
      const today = await c.today();
      const refused = await c.refused('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '书面申请' });
      expect(refused.type).toBe('InvalidInput');
      expect(refused.message).toContain('书面《容错免责申请》须附扫描件（申请书）');
      expect(refused.message).toContain('第十二条(二)');
      // An evidence file is not the application.
      expect((await c.refused('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '书面申请', papers: [paper('evidence', '证据', 7)] })).type).toBe('InvalidInput');
      const state = await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '书面申请', papers: [paper('application', '容错免责申请', 8)] });
      expect(state.stage).toBe('investigation');
      expect(state.papers).toEqual({ attached: [expect.objectContaining({ step: 'fileApplication', title: '容错免责申请' })], missing: [] });
    });
  });
});
