/**
 * The Binhai procedure (滨海新区 2021), on the time-skipping server with the
 * real worker and workflow code: exemption, denial with an appeal, every
 * deadline, recusal. Deadlines are counted from the server's own today; the
 * counting itself is specified against the State Council's schedules in
 * test/calendar.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { acknowledgeServiceUpdate, caseProgressQuery, searchAttributes, type Actor } from '../../domain/case/contract';
import { findDocument } from '../../store/documents';
import { notificationsForCase } from '../../store/notifications';
import { eventually } from '../support/eventually';
import { CaseDriver, officer, otherSupervisor, subjectUser, supervisor, withCaseWorker } from '../support/case-driver';
import { recordHistory } from '../support/histories';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const DAY = 86_400_000;
const dayAfter = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

const group = [
  { sub: 'member-1', name: '陈调查', declaresNoConflict: true },
  { sub: 'member-2', name: '刘调查', declaresNoConflict: true },
];

/** Application, investigation group and report: the case ready for deliberation. */
async function throughInvestigation(c: CaseDriver, recommendation: 'exempt' | 'denied' = 'exempt') {
  const today = await c.today();
  await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责：事实、依据与建议' });
  await c.act('appointInvestigationGroup', { appointedOn: today, members: group });
  await c.act('recordStatement', { receivedOn: today, summary: '本人陈述：因缺乏改革样板出现程序瑕疵', form: 'interviewRecord' });
  await c.act('submitInvestigationReport', {
    submittedOn: today,
    findings: '在老旧小区改造试点中先行先试，因缺乏改革样板出现程序瑕疵，已及时整改',
    recommendation,
    circumstances: ['binhai-6-3'],
    mitigating: ['binhai-7-1'],
  });
}

async function determine(c: CaseDriver, outcome: 'exempt' | 'denied', actor = supervisor) {
  const today = await c.today();
  return c.act(
    'recordDetermination',
    {
      decidedOn: today,
      decidedBy: 'authorityLeadership',
      outcome,
      circumstances: outcome === 'exempt' ? ['binhai-6-3'] : [],
      mitigating: [],
      conditions: [],
      exclusions: outcome === 'denied' ? ['binhai-8-5'] : [],
      reasons: outcome === 'exempt' ? '符合第六条(三)情形，未发现第八条不予免责情形' : '不经论证盲目决策造成损失',
      complex: false,
    },
    actor,
  );
}

const run = <T>(fn: (taskQueue: string) => Promise<T>) => withCaseWorker(suite.env, suite.db, 'binhai', fn);

/** A conclusion decided and filed: it is ready to be served. */
async function decidedAndFiled(tq: string, outcome: 'exempt' | 'denied') {
  const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
  await throughInvestigation(c, outcome);
  await determine(c, outcome);
  await c.act('recordFiling', { filedOn: await c.today() });
  return c;
}

describe('Binhai exemption path', () => {
  it('runs from application to archive: exemption decision issued and numbered, accountability stopped, copies sent', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await throughInvestigation(c);
      let state = await determine(c, 'exempt');
      expect(state.stage).toBe('filing');
      expect(state.outcome).toBe('exempt');
      expect(state.determination?.effects.map((e) => e.basis.article)).toEqual(['第三条', '第十六条', '第十六条']);

      const today = await c.today();
      state = await c.act('recordFiling', { filedOn: today, reference: '备〔2026〕1号' });
      expect(state.stage).toBe('notice');
      expect(state.documents.map((d) => [d.kind, d.title, d.basis.article])).toEqual([
        ['conclusionNotice', '容错免责结论告知书', '第十五条'],
        ['exemptionDecision', '免责决定书', '第十五条'],
      ]);
      const year = today.slice(0, 4);
      expect(state.documents.map((d) => d.number)).toEqual([`滨纪告〔${year}〕1号`, `滨纪免〔${year}〕1号`]);
      expect(state.documents[1]?.copyTo).toEqual(['天津市滨海新区监察委员会', '中共天津市滨海新区委员会组织部']);
      const notice = state.deadlines.find((d) => d.key === 'notice')!;
      expect(notice).toMatchObject({ binds: 'authority', basis: { article: '第十五条' }, from: today, amount: 5, unit: 'workingDays' });
      expect(notice.deadline).toBe((await c.expectedDeadline(today, 5, 'workingDays')).deadline);

      state = await c.act('serveNotice', { servedOn: today, servedTo: ['subject', 'subjectOrganisation'] });
      expect(state.accountability.status).toBe('stopped');
      expect(state.timeline.find((e) => e.event === 'accountabilityStopped')?.basis?.article).toBe('第十六条');
      const sent = await notificationsForCase(suite.db, c.input.caseId);
      expect(sent.map((n) => n.recipient)).toEqual(
        expect.arrayContaining([
          { kind: 'party', party: 'subject' },
          { kind: 'party', party: 'subjectOrganisation' },
          { kind: 'body', name: '同级纪检监察组织' },
          { kind: 'body', name: '组织人事部门' },
          { kind: 'body', name: '区纪委监委' },
        ]),
      );

      expect(state).toMatchObject({ stage: 'appeal', alongside: ['correction'] });
      await c.advanceTo('appealWindow', 1000);
      state = await c.advanceTo('appealWindowRecording', 1000);
      expect(state.stage).toBe('publication');
      expect(state.timeline.some((e) => e.event === 'appealWindowClosed')).toBe(true);
      state = await c.act('recordPublication', { published: true, publishedOn: await c.today(), scope: '区纪委监委机关' });
      state = await c.act('issueCorrectionList', { items: [], noneReason: '程序瑕疵已于调查前整改完毕，无须再行整改' });
      expect(state.correctionList).toMatchObject({ items: [], noneReason: expect.stringContaining('整改完毕') });
      state = await c.act('archiveCase', { archivedOn: await c.today(), reference: '滨纪档〔2026〕7号' });
      expect(state).toMatchObject({ stage: 'closed', closed: true, outcome: 'exempt' });
      expect(state.availableActions).toEqual([]);
      await c.handle.result();
      await recordHistory('binhai-exempt', c.handle);
    });
  });
});

describe('Binhai application contents (第十二条(二): 基本情况、事实、依据、建议)', () => {
  it('records the application part by part, notes a missing part to be supplemented, and the 免责决定书 states them', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      const today = await c.today();
      const contents = {
        subjectBasics: '王某，某街道党工委副主任，分管老旧小区改造',
        facts: '为赶在供暖季前完工，先行组织施工、后补招标手续',
        grounds: '第六条(三)：改革开放“尖刀团”攻坚行动中勇于先行先试，出现探索性失误',
      };
      const unknown = await c.refused('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责', contents: { ...contents, attachments: '附件三份' } });
      expect(unknown).toMatchObject({ type: 'InvalidInput', message: expect.stringContaining('contents.attachments：本规则的申请书由被调查对象基本情况（subjectBasics）') });
      let state = await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责', contents });
      expect(state.application).toMatchObject({ contents, missing: ['免责建议'] });
      expect(state.timeline.find((e) => e.event === 'applicationFiled')?.detail).toContain('申请书未载明免责建议（第十二条(二)），可要求补正');
      await c.act('appointInvestigationGroup', { appointedOn: today, members: group });
      await c.act('recordStatement', { receivedOn: today, summary: '本人陈述', form: 'interviewRecord' });
      await c.act('submitInvestigationReport', { submittedOn: today, findings: '先行先试出现程序瑕疵，已及时整改', recommendation: 'exempt', circumstances: ['binhai-6-3'], mitigating: [] });
      await determine(c, 'exempt');
      state = await c.act('recordFiling', { filedOn: today });
      const decision = (await findDocument(suite.db, state.documents.find((d) => d.kind === 'exemptionDecision')!.documentId))!.body;
      expect(decision).toContain('申请情况');
      expect(decision).toContain('有关事实：为赶在供暖季前完工，先行组织施工、后补招标手续。');
      expect(decision).toContain('申请容错免责依据：第六条(三)');
      await c.handle.terminate('test done');
    });
  });
});

describe('Binhai denial path', () => {
  it('denies, serves the conclusion, takes an appeal within the window, decides it and closes', async () => {
    await run(async (tq) => {
      const c = await decidedAndFiled(tq, 'denied');
      let state = await c.act('serveNotice', { servedOn: await c.today(), servedTo: ['subject', 'subjectOrganisation'] });
      expect(state.documents.map((d) => d.kind)).toEqual(['conclusionNotice']);
      expect(state.accountability.status).toBe('proceeding');

      state = await c.act('fileAppeal', { receivedOn: await c.today(), summary: '对不予免责结论有不同意见' });
      expect(state.timeline.find((e) => e.event === 'executionNotSuspended')?.basis?.article).toBe('第十七条');
      expect(state.outcome).toBe('denied');
      const due = state.deadlines.find((d) => d.key === 'appealDecision')!;
      expect(due).toMatchObject({ binds: 'authority', amount: 30, unit: 'days', basis: { article: '第十七条' } });

      state = await c.act('decideAppeal', { decidedOn: await c.today(), result: 'upheld', reasons: '原结论事实清楚' }, supervisor);
      expect(state.documents.map((d) => d.kind)).toEqual(['conclusionNotice', 'appealDecision']);
      state = await c.act('recordPublication', { published: false, reason: '涉及个人隐私，不宜公开' });
      state = await c.act('archiveCase', { archivedOn: await c.today(), reference: '滨纪档〔2026〕8号' });
      expect(state).toMatchObject({ closed: false, alongside: ['correction'] });
      await c.act('issueCorrectionList', { items: [{ id: 'C1', description: '完善重大决策论证程序', owner: '某街道党工委', dueOn: dayAfter(await c.today(), 30) }] });
      state = await c.act('fileRectificationReport', { itemId: 'C1', reportedOn: await c.today(), summary: '已建立重大决策论证制度' });
      expect(state).toMatchObject({ closed: true, outcome: 'denied' });
      await c.handle.result();
      await recordHistory('binhai-denied-appealed', c.handle);
    });
  });

  it('follows a revised appeal decision through: the exemption takes the denial’s place, its documents are issued anew and accountability stops', async () => {
    await run(async (tq) => {
      const c = await decidedAndFiled(tq, 'denied');
      const today = await c.today();
      await c.act('serveNotice', { servedOn: today, servedTo: ['subject', 'subjectOrganisation'] });
      await c.act('fileAppeal', { receivedOn: today, summary: '原认定遗漏第六条(三)情形' });
      const revision = { outcome: 'exempt' as const, circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: [], reasons: '符合第六条(三)' };
      const bare = await c.refused('decideAppeal', { decidedOn: today, result: 'revised', reasons: '原认定遗漏情形' }, supervisor);
      expect(bare).toMatchObject({ type: 'InvalidInput', message: expect.stringContaining('第十七条') });
      const excluded = await c.refused('decideAppeal', { decidedOn: today, result: 'revised', reasons: '—', revision: { ...revision, exclusions: ['binhai-8-7'] } }, supervisor);
      expect(excluded).toMatchObject({ type: 'OutcomeNotAllowed', message: expect.stringContaining('第六条、第八条') });

      let state = await c.act('decideAppeal', { decidedOn: today, result: 'revised', reasons: '原认定遗漏第六条(三)情形', revision }, supervisor);
      // The revised conclusion is a 容错免责意见 too: filed with the superior body before it is executed (第十四条(二)).
      expect(state).toMatchObject({ outcome: 'exempt', accountability: { status: 'proceeding' } });
      expect(state.availableActions.map((a) => a.name)).toContain('recordFiling');
      expect(state.documents.map((d) => d.title)).not.toContain('免责决定书（申诉变更）');
      expect(state.timeline.find((e) => e.event === 'revisionFilingDue')?.basis).toMatchObject({ article: '第十四条(二)', reading: expect.stringContaining('变更后的结论') });
      state = await c.act('recordFiling', { filedOn: today, reference: '备〔2026〕9号' });
      expect(state.revisionFiling).toMatchObject({ filedOn: today, reference: '备〔2026〕9号' });
      // The revision's documents and notices are issued after the filing: wait until the case rests in publication.
      state = await eventually(async () => {
        expect(await c.handle.query(caseProgressQuery)).toMatchObject({ atRest: true, effectsInFlight: 0, offered: expect.arrayContaining(['recordPublication']) });
        return c.state();
      });
      expect(state).toMatchObject({ outcome: 'exempt', accountability: { status: 'stopped' }, determination: { outcome: 'exempt', revisedOnAppeal: true } });
      expect(state.determinationHistory?.map((d) => d.outcome)).toEqual(['denied']);
      expect(state.documents.map((d) => [d.kind, d.title])).toEqual([
        ['conclusionNotice', '容错免责结论告知书'],
        ['appealDecision', '申诉处理决定书'],
        ['conclusionNotice', '容错免责结论告知书（申诉变更）'],
        ['exemptionDecision', '免责决定书（申诉变更）'],
      ]);
      // Each issued anew under a number of its own.
      expect(new Set(state.documents.map((d) => d.number)).size).toBe(4);
      expect(await notificationsForCase(suite.db, c.input.caseId)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ recipient: { kind: 'party', party: 'subject' }, subject: '容错免责结论（申诉变更）：免责' }),
          expect.objectContaining({ recipient: { kind: 'body', name: '同级纪检监察组织' } }),
          expect.objectContaining({ recipient: { kind: 'body', name: '区纪委监委' }, subject: expect.stringContaining('停止执行处理程序') }),
        ]),
      );
      await c.act('recordPublication', { published: false, reason: '涉及个人隐私，不宜公开' });
      await c.act('issueCorrectionList', { items: [], noneReason: '已整改' });
      state = await c.act('archiveCase', { archivedOn: await c.today(), reference: '滨纪档〔2026〕10号' });
      expect(state).toMatchObject({ closed: true, outcome: 'exempt' });
      await c.handle.result();
      await recordHistory('binhai-revised-on-appeal', c.handle);
    });
  });

  it('refuses an exemption when an excluded circumstance is found, citing 第八条', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await throughInvestigation(c);
      const refusal = await c.refused(
        'recordDetermination',
        { decidedOn: await c.today(), decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: ['binhai-8-7'], reasons: '—', complex: false },
        supervisor,
      );
      expect(refusal.type).toBe('OutcomeNotAllowed');
      expect(refusal.message).toContain('第六条、第八条');
      await c.handle.terminate('test done');
    });
  });

  it('mitigates only on a ground of 第七条 (or a heavier one of 第六条), and 第八条 does not bar it', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await throughInvestigation(c);
      const input = { decidedOn: await c.today(), decidedBy: 'authorityLeadership' as const, outcome: 'mitigated' as const, circumstances: [], mitigating: [], conditions: [], exclusions: ['binhai-8-6'], reasons: '—', complex: false };
      const bare = await c.refused('recordDetermination', input, supervisor);
      expect(bare).toMatchObject({ type: 'OutcomeNotAllowed', message: expect.stringContaining('第七条') });
      const state = await c.act('recordDetermination', { ...input, mitigating: ['binhai-7-3'], reasons: '主动说清情况，积极配合调查' }, supervisor);
      expect(state.determination).toMatchObject({ outcome: 'mitigated', exclusions: ['binhai-8-6'] });
      await c.handle.terminate('test done');
    });
  });

  it('lets the party committee decide only after a referral (第十四条(一)); the 问责部门 issues the 免责决定书 naming the committee as 批准机关 (第十五条)', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await throughInvestigation(c);
      const input = { decidedOn: await c.today(), decidedBy: 'partyCommittee' as const, outcome: 'exempt' as const, circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: [], reasons: '符合情形', complex: false };
      expect((await c.refused('recordDetermination', input, supervisor)).message).toContain('第十四条(一)');
      await c.act('referToCommittee', { referredOn: await c.today(), reason: '涉及区管干部，超出问责部门权限' }, supervisor);
      let state = await c.act('recordDetermination', input, supervisor);
      expect(state.determination).toMatchObject({ decidedBy: 'partyCommittee', approvingBody: '同级党委(党组)领导班子' });
      state = await c.act('recordFiling', { filedOn: await c.today() });
      expect(state.documents.map((d) => [d.kind, d.issuer])).toEqual([
        ['conclusionNotice', 'authority'],
        ['exemptionDecision', 'authority'],
      ]);
      await c.handle.terminate('test done');
    });
  });
});

describe('Binhai ex officio (第十二条(一): the authority considers tolerance of its own motion)', () => {
  it('goes on to the investigation when the authority opened the case ex officio and nobody applied', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai', { input: { route: 'exOfficio' } });
      let state = await c.state();
      expect(state).toMatchObject({ stage: 'application', intake: { route: 'exOfficio', basis: { article: '第十二条(一)' } } });
      expect(state.availableActions.map((a) => a.name)).toContain('fileApplication');
      await c.advanceTo('application', 60_000);
      state = await c.advanceTo('applicationRecording', 60_000);
      expect(state).toMatchObject({ closed: false, stage: 'investigation', exOfficio: { proceed: true } });
      await c.handle.terminate('test done');
    });
  });

  it('asks the authority, where nobody applied after being told, whether it goes on of its own motion; it may', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await c.advanceTo('application', 60_000);
      let state = await c.advanceTo('applicationRecording', 60_000);
      expect(state).toMatchObject({ closed: false, stage: 'exOfficioConsideration' });
      expect(state.availableActions.map((a) => a.name)).toEqual(expect.arrayContaining(['decideExOfficio']));
      state = await c.act('decideExOfficio', { proceed: true, decidedOn: await c.today(), reasons: '经主动考虑，符合第六条(三)情形' }, supervisor);
      expect(state).toMatchObject({ stage: 'investigation', intake: { route: 'exOfficio' }, exOfficio: { proceed: true, decidedBy: { sub: supervisor.sub } } });
      expect(state.timeline.find((e) => e.event === 'exOfficioProceeds')?.basis?.article).toBe('第十二条(一)');
      await c.handle.terminate('test done');
      await recordHistory('binhai-exofficio-after-lapse', c.handle);
    });
  });

  it('closes with the authority’s reasons when it decides not to go on', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await c.advanceTo('application', 60_000);
      await c.advanceTo('applicationRecording', 60_000);
      const state = await c.act('decideExOfficio', { proceed: false, decidedOn: await c.today(), reasons: '不符合容错免责情形' }, supervisor);
      expect(state).toMatchObject({ closed: true, outcome: 'notTolerated' });
      expect(state.timeline.find((e) => e.event === 'caseClosed')?.detail).toContain('不符合容错免责情形');
    });
  });
});

/** The subject's party organisation applied on the subject's behalf; the investigation has begun. */
async function appliedByOrganisation(tq: string) {
  const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
  const today = await c.today();
  await c.act('fileApplication', { filedBy: 'subjectOrganisation', receivedOn: today, summary: '所在党组织代为申请' });
  return { c, today };
}

describe('Binhai free-trade and development zones (第三章, 第九条)', () => {
  const report = (today: string) => ({ submittedOn: today, findings: '首创性制度创新，存在一定风险', recommendation: 'exempt' as const, circumstances: ['binhai-9-2'], mitigating: [] });
  const heard = async (c: CaseDriver) => {
    const today = await c.today();
    await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请' });
    await c.act('appointInvestigationGroup', { appointedOn: today, members: group });
    await c.act('recordStatement', { receivedOn: today, summary: '本人陈述' });
    return today;
  };

  it('lets a case rely on 第九条 only where the subject’s unit is in such a zone', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      const refusal = await c.refused('submitInvestigationReport', report(await heard(c)));
      expect(refusal.type).toBe('InvalidInput');
      expect(refusal.message).toContain('第九条(二) 仅适用于被调查对象所在单位属自贸试验区或开发区的案件（第三章）');

      const zone = await CaseDriver.open(suite.env, suite.db, tq, 'binhai', { input: { attributes: { specialZone: true } } });
      const today = await heard(zone);
      await zone.act('submitInvestigationReport', report(today));
      const state = await zone.act(
        'recordDetermination',
        { decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-9-2'], mitigating: [], conditions: [], exclusions: [], reasons: '符合第九条(二)', complex: false },
        supervisor,
      );
      expect(state).toMatchObject({ attributes: { specialZone: true }, determination: { outcome: 'exempt', circumstances: ['binhai-9-2'] } });
      await c.handle.terminate('test done');
      await zone.handle.terminate('test done');
    });
  });
});

describe('Binhai investigation group', () => {
  it('needs at least two members, each declaring no conflict, none of them the subject', async () => {
    await run(async (tq) => {
      const { c, today } = await appliedByOrganisation(tq);
      expect((await c.refused('appointInvestigationGroup', { appointedOn: today, members: [group[0]!] })).message).toContain('第十三条(一)');
      const withSubject = await c.refused('appointInvestigationGroup', { appointedOn: today, members: [group[0]!, { ...subjectUser, declaresNoConflict: true }] });
      expect(withSubject).toMatchObject({ type: 'Recused' });
      const undeclared = await c.refused('appointInvestigationGroup', { appointedOn: today, members: [group[0]!, { sub: 'm3', name: '孙某', declaresNoConflict: false }] });
      expect(undeclared.message).toContain('第二十四条(二)');
      const early = await c.refused('submitInvestigationReport', { submittedOn: today, findings: '—', recommendation: 'exempt', circumstances: [], mitigating: [] });
      expect(early.type).toBe('WrongStage');
      await c.handle.terminate('test done');
    });
  });
});

describe('Binhai correction alongside tolerance (第二十三条(四))', () => {
  it('issues the correction list beside the appeal window, escalates an overdue item, and closes once both are done', async () => {
    await run(async (tq) => {
      const c = await decidedAndFiled(tq, 'exempt');
      const servedOn = await c.today();
      let state = await c.act('serveNotice', { servedOn, servedTo: ['subject', 'subjectOrganisation'] });
      expect(state).toMatchObject({ stage: 'appeal', alongside: ['correction'] });
      expect(state.availableActions.map((a) => a.name)).toEqual(expect.arrayContaining(['fileAppeal', 'issueCorrectionList']));
      state = await c.act('issueCorrectionList', { items: [{ id: 'C1', description: '完善审批档案', owner: '某街道党工委', dueOn: dayAfter(servedOn, 7) }] });
      expect(state.documents.map((d) => d.title)).toContain('限期整改通知书');
      expect(state.deadlines.find((d) => d.key === 'appealWindow')?.from).toBe(servedOn);

      state = await c.sleep(8 * DAY);
      expect(state.timeline.find((e) => e.event === 'correctionOverdue')?.basis?.article).toBe('第二十三条(四)');
      expect(await notificationsForCase(suite.db, c.input.caseId)).toContainEqual(expect.objectContaining({ recipient: { kind: 'body', name: '问责部门' } }));
      await c.act('fileRectificationReport', { itemId: 'C1', reportedOn: await c.today(), summary: '已完善审批档案' });
      await c.advanceTo('appealWindow', 1000);
      await c.advanceTo('appealWindowRecording', 1000);
      await c.act('recordPublication', { published: false, reason: '涉及个人隐私，不宜公开' });
      state = await c.act('archiveCase', { archivedOn: await c.today(), reference: '滨纪档〔2026〕9号' });
      expect(state).toMatchObject({ closed: true, outcome: 'exempt', alongside: [] });
      await c.handle.result();
      await recordHistory('binhai-correction-alongside', c.handle);
    });
  });
});

describe('Binhai clarification of a false accusation (第二十二条(三))', () => {
  it('clears the cadre’s name with the bodies the report reached and refers a malicious report, whenever it is found, without changing the case', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      expect((await c.state()).availableActions.map((a) => a.name)).toContain('recordAccusationFalse');
      const today = await c.today();
      const found = { foundOn: today, finding: '举报反映的违规审批查无实据', malicious: true, clarifyTo: ['某街道党工委'], means: '通报' };
      expect((await c.refused('recordAccusationFalse', found)).type).toBe('NotPermitted');
      await c.act('recordAccusationFalse', found, supervisor);
      const state = await c.settled();
      expect(state).toMatchObject({ stage: 'application', closed: false, clarification: { clarifiedOn: today, malicious: true } });
      expect(state.documents.map((d) => [d.kind, d.title, d.basis.article])).toEqual([['clarification', '澄清正名通知书', '第二十二条(三)']]);
      expect(state.timeline.find((e) => e.event === 'maliciousAccusationReferred')?.basis?.article).toBe('第二十二条(三)');
      expect(await notificationsForCase(suite.db, c.input.caseId)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ recipient: { kind: 'body', name: '某街道党工委' } }),
          expect.objectContaining({ recipient: { kind: 'body', name: '纪检监察组织' }, subject: expect.stringContaining('移送查处') }),
        ]),
      );
      await c.handle.terminate('test done');
      await recordHistory('binhai-clarification', c.handle);
    });
  });
});

describe('Binhai hearing the subject (第十三条(二))', () => {
  it('refuses the report until the subject was heard, or its refusal to speak recorded', async () => {
    await run(async (tq) => {
      const { c, today } = await appliedByOrganisation(tq);
      await c.act('appointInvestigationGroup', { appointedOn: today, members: group });
      const report = { submittedOn: today, findings: '先行先试出现瑕疵', recommendation: 'exempt' as const, circumstances: ['binhai-6-3'], mitigating: [] };
      const early = await c.refused('submitInvestigationReport', report);
      expect(early.type).toBe('WrongStage');
      expect(early.message).toContain('第十三条(二)');
      await c.act('recordStatement', { receivedOn: today, by: 'subjectOrganisation', summary: '党组织意见', form: 'written' });
      expect((await c.refused('submitInvestigationReport', report)).message).toContain('被调查对象本人');
      const state = await c.act('recordStatement', { receivedOn: today, summary: '本人拒绝陈述，已形成谈话记录', declined: true, form: 'interviewRecord' });
      expect(state.statements.at(-1)).toMatchObject({ declined: true, form: 'interviewRecord' });
      expect((await c.act('submitInvestigationReport', report)).stage).toBe('deliberation');
      await c.handle.terminate('test done');
    });
  });
});

describe('Binhai recusal', () => {
  it('refuses a decision by someone recorded as recused, and any step by the subject, citing 第二十四条(二)', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await throughInvestigation(c);
      await c.act('recordRecusal', { person: { sub: otherSupervisor.sub, name: otherSupervisor.name }, reason: '与被调查对象系亲属关系' }, supervisor);
      const refusal = await c.refused(
        'recordDetermination',
        { decidedOn: await c.today(), decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: [], reasons: '符合情形', complex: false },
        otherSupervisor,
      );
      expect(refusal.type).toBe('Recused');
      expect(refusal.message).toContain('第二十四条(二)');
      const bySubject = await c.refused('recordRecusal', { person: { name: '某人' }, reason: '—' }, { ...subjectUser, roles: ['officer'] });
      expect(bySubject.type).toBe('Recused');
      const byOfficer = await c.refused(
        'recordDetermination',
        { decidedOn: await c.today(), decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: [], reasons: '—', complex: false },
        officer,
      );
      expect(byOfficer.type).toBe('NotPermitted');
      await c.handle.terminate('test done');
    });
  });

  it('takes a member recorded as recused out of the investigation group, and refuses the group’s report until it is re-formed (第二十四条(二))', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      const today = await c.today();
      await c.act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责：事实、依据与建议' });
      await c.act('appointInvestigationGroup', { appointedOn: today, members: group });
      await c.act('recordStatement', { receivedOn: today, summary: '本人陈述', form: 'interviewRecord' });
      let state = await c.act('recordRecusal', { person: { name: '刘　调查' }, reason: '与被调查对象系表亲' }, supervisor);
      expect(state.investigationGroup?.members.map((m) => m.name)).toEqual(['陈调查']);
      expect(state.investigationGroup?.recused).toEqual([expect.objectContaining({ member: expect.objectContaining({ name: '刘调查' }), reason: '与被调查对象系表亲' })]);
      expect(state.timeline.find((e) => e.event === 'groupMemberRecused')?.basis?.article).toBe('第二十四条(二)');

      const report = { submittedOn: today, findings: '先行先试出现程序瑕疵', recommendation: 'exempt' as const, circumstances: ['binhai-6-3'], mitigating: [] };
      const refusal = await c.refused('submitInvestigationReport', report);
      expect(refusal.type).toBe('WrongStage');
      expect(refusal.message).toContain('调查组现有1人，少于2人（刘调查 已回避）');
      expect(refusal.message).toContain('第十三条(一)');
      // The recused member cannot be put back; a new member can.
      expect((await c.refused('appointInvestigationGroup', { appointedOn: today, members: group })).type).toBe('Recused');
      state = await c.act('appointInvestigationGroup', { appointedOn: today, members: [group[0]!, { sub: 'member-3', name: '孙调查', declaresNoConflict: true }] });
      expect(state.timeline.filter((e) => e.event === 'investigationGroupAppointed').at(-1)?.detail).toContain('重新组成调查组');
      state = await c.act('submitInvestigationReport', report);
      expect(state.stage).toBe('deliberation');
      await c.handle.terminate('test done');
    });
  });
});

describe('Binhai notice deadline (第十五条, 5 working days from the decision)', () => {
  it('runs from the decision and lapses 5 working days after it even while the filing is pending', async () => {
    await run(async (tq) => {
      const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai');
      await throughInvestigation(c);
      const decidedOn = await c.today();
      let state = await determine(c, 'exempt');
      expect(state.stage).toBe('filing');
      expect(state.deadlines.find((d) => d.key === 'notice')).toMatchObject({
        from: decidedOn,
        deadline: (await c.expectedDeadline(decidedOn, 5, 'workingDays')).deadline,
        basis: { article: '第十五条', reading: expect.stringContaining('自作出决定之日起算') },
      });
      state = await c.advanceTo('notice', 60_000);
      expect(state.stage).toBe('filing');
      expect(state.deadlines.find((d) => d.key === 'notice')?.status).toBe('lapsed');
      expect(state.timeline.find((e) => e.event === 'deadlineLapsed')?.basis?.article).toBe('第十五条');
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.overdue)).toBe(true);

      await c.act('recordFiling', { filedOn: await c.today() });
      state = await c.act('serveNotice', { servedOn: await c.today(), servedTo: ['subject', 'subjectOrganisation'] });
      expect(state.deadlines.filter((d) => d.key === 'notice')).toEqual([expect.objectContaining({ status: 'lapsed', metAt: expect.any(String) })]);
      await c.handle.terminate('test done');
      await recordHistory('binhai-notice-overdue-during-filing', c.handle);
    });
  });

  it('when it lapses records the lapse, marks the case overdue and tells the supervisor; the case still takes the notice', async () => {
    await run(async (tq) => {
      const c = await decidedAndFiled(tq, 'exempt');
      let state = await c.advanceTo('notice', 60_000);
      const notice = state.deadlines.find((d) => d.key === 'notice')!;
      expect(notice.status).toBe('lapsed');
      expect(state.stage).toBe('notice');
      expect(state.timeline.find((e) => e.event === 'deadlineLapsed')?.basis?.article).toBe('第十五条');
      const described = await c.handle.describe();
      expect(described.typedSearchAttributes.get(searchAttributes.overdue)).toBe(true);
      const told = await notificationsForCase(suite.db, c.input.caseId);
      expect(told).toContainEqual(expect.objectContaining({ recipient: { kind: 'role', role: 'supervisor', authority: 'binhai-jw' } }));

      state = await c.act('serveNotice', { servedOn: await c.today(), servedTo: ['subject', 'subjectOrganisation'] });
      expect(state.deadlines.find((d) => d.key === 'notice')).toMatchObject({ status: 'lapsed', metAt: expect.any(String) });
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.overdue)).toBe(false);
      expect(state.stage).toBe('appeal');
      await c.handle.terminate('test done');
    });
  });
});

describe('Binhai appeal window (第十七条, 15 days from the notice being served)', () => {
  async function served(tq: string) {
    const c = await decidedAndFiled(tq, 'denied');
    const servedOn = await c.today();
    await c.act('serveNotice', { servedOn, servedTo: ['subject', 'subjectOrganisation'] });
    return { c, servedOn };
  }

  it('accepts an appeal on its last day (day 15, or the next working day if day 15 is not one)', async () => {
    await run(async (tq) => {
      const { c, servedOn } = await served(tq);
      const expected = await c.expectedDeadline(servedOn, 15, 'days');
      const state = await c.advanceTo('appealWindow', -60_000);
      expect(state.deadlines.find((d) => d.key === 'appealWindow')?.deadline).toBe(expected.deadline);
      expect(expected.nominalDeadline).toBe(new Date(Date.parse(`${servedOn}T00:00:00Z`) + 15 * 86_400_000).toISOString().slice(0, 10));
      expect(await c.today()).toBe(expected.deadline);
      const accepted = await c.act('fileAppeal', { receivedOn: expected.deadline, summary: '不服结论' });
      expect(accepted.appeal?.receivedOn).toBe(expected.deadline);
      await c.handle.terminate('test done');
    });
  });

  it('takes an appeal received on its last day and entered the next morning; the decision is due 30 days from receipt', async () => {
    await run(async (tq) => {
      const { c, servedOn } = await served(tq);
      const expected = await c.expectedDeadline(servedOn, 15, 'days');
      await c.advanceTo('appealWindow', 9 * 3_600_000);
      const state = await c.act('fileAppeal', { receivedOn: expected.deadline, summary: '不服结论' });
      expect(state.appeal).toMatchObject({ receivedOn: expected.deadline, recordedOn: await c.today() });
      expect(state.deadlines.find((d) => d.key === 'appealWindow')?.status).toBe('lapsed');
      expect(state.deadlines.find((d) => d.key === 'appealDecision')).toMatchObject({
        from: expected.deadline,
        deadline: (await c.expectedDeadline(expected.deadline, 30, 'days')).deadline,
      });
      await c.handle.terminate('test done');
    });
  });

  it('refuses an appeal the day after the last day as out of time, naming the deadline and 第十七条', async () => {
    await run(async (tq) => {
      const { c, servedOn } = await served(tq);
      const expected = await c.expectedDeadline(servedOn, 15, 'days');
      const state = await c.advanceTo('appealWindow', 60_000);
      // In time filings may still be recorded until the recording period ends.
      expect(state.stage).toBe('appeal');
      const refusal = await c.refused('fileAppeal', { receivedOn: await c.today(), summary: '逾期申诉' });
      expect(refusal.type).toBe('WindowClosed');
      expect(refusal.message).toContain(expected.deadline);
      expect(refusal.message).toContain('第十七条');
      expect(state.deadlines.find((d) => d.key === 'appealWindow')).toMatchObject({ status: 'lapsed', deadline: expected.deadline });
      await c.handle.terminate('test done');
    });
  });

  it('marks the case overdue when the 30-day appeal decision deadline lapses, and still takes the decision', async () => {
    await run(async (tq) => {
      const { c } = await served(tq);
      await c.act('fileAppeal', { receivedOn: await c.today(), summary: '不服结论' });
      let state = await c.advanceTo('appealDecision', 60_000);
      expect(state.deadlines.find((d) => d.key === 'appealDecision')?.status).toBe('lapsed');
      expect((await c.handle.describe()).typedSearchAttributes.get(searchAttributes.overdue)).toBe(true);
      expect((await notificationsForCase(suite.db, c.input.caseId)).some((n) => n.subject.includes('作出申诉处理决定'))).toBe(true);
      state = await c.act('decideAppeal', { decidedOn: await c.today(), result: 'upheld', reasons: '维持' }, supervisor);
      expect(state.appeal?.decision?.result).toBe('upheld');
      await c.handle.terminate('test done');
    });
  });
});

describe('Binhai conclusion served through the parties’ inboxes (第十五条, 第十七条)', () => {
  /** The subject acknowledges service in its inbox; answers the case after it. */
  const acknowledge = async (c: CaseDriver, actor: Pick<Actor, 'sub' | 'name'>, servedOn: string) => {
    await c.handle.executeUpdate(acknowledgeServiceUpdate, { args: [{ party: 'subject', servedOn, notificationId: 'inbox-notice', actor: { ...actor, roles: [] } }] });
    return c.settled();
  };

  it('puts the conclusion in the inboxes first, and counts the appeal window from the latest service: in person, or the subject’s own acknowledgement', async () => {
    await run(async (tq) => {
      const c = await decidedAndFiled(tq, 'denied');
      const told = await notificationsForCase(suite.db, c.input.caseId);
      expect(told.filter((n) => n.subject.startsWith('容错免责结论')).map((n) => n.service)).toEqual([
        { stage: 'notice', party: 'subject' },
        { stage: 'notice', party: 'subjectOrganisation' },
      ]);

      const organisationServedOn = await c.today();
      let state = await c.act('serveNotice', { servedOn: organisationServedOn, servedTo: ['subjectOrganisation'] });
      expect(state.notice).toBeUndefined();
      expect(state.stage).toBe('notice');

      await c.sleep(3 * DAY);
      const acknowledgedOn = await c.today();
      const stranger = await acknowledge(c, { sub: 'someone-else', name: '他人' }, acknowledgedOn).then(() => undefined, (e: unknown) => e);
      expect(stranger).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((stranger as WorkflowUpdateFailedError).cause?.message).toContain('只有被调查对象本人可以签收');

      state = await acknowledge(c, subjectUser, acknowledgedOn);
      expect(state.notice).toMatchObject({ servedOn: acknowledgedOn, servedTo: ['subject', 'subjectOrganisation'] });
      expect(state.noticeReceipts).toEqual([
        expect.objectContaining({ party: 'subjectOrganisation', servedOn: organisationServedOn, via: 'officer' }),
        expect.objectContaining({ party: 'subject', servedOn: acknowledgedOn, via: 'inbox', by: expect.objectContaining({ sub: subjectUser.sub }) }),
      ]);
      // A retried acknowledgement changes nothing; one with another date is refused.
      const again = await acknowledge(c, subjectUser, acknowledgedOn);
      expect(again.noticeReceipts).toHaveLength(2);
      expect(await acknowledge(c, subjectUser, organisationServedOn).then(() => undefined, (e: unknown) => e)).toBeInstanceOf(WorkflowUpdateFailedError);

      state = await c.settled();
      const window = state.deadlines.find((d) => d.key === 'appealWindow');
      expect(window).toMatchObject({ from: acknowledgedOn, deadline: (await c.expectedDeadline(acknowledgedOn, 15, 'days')).deadline, basis: { article: '第十七条' } });
      await c.handle.terminate('test done');
      await recordHistory('binhai-served-through-inbox', c.handle);
    });
  });

  it('counts the subject’s appeal window from its own service, not from a later service on its party organisation (第十七条 自接到告知之日起)', async () => {
    await run(async (tq) => {
      const c = await decidedAndFiled(tq, 'denied');
      const subjectServedOn = await c.today();
      await acknowledge(c, subjectUser, subjectServedOn);
      await c.sleep(3 * DAY);
      let state = await c.act('serveNotice', { servedOn: await c.today(), servedTo: ['subjectOrganisation'] });
      expect(state.notice?.servedOn).toBe(await c.today());
      state = await c.settled();
      expect(state.deadlines.find((d) => d.key === 'appealWindow')).toMatchObject({ from: subjectServedOn, deadline: (await c.expectedDeadline(subjectServedOn, 15, 'days')).deadline });
      const byUnit = await c.refused('fileAppeal', { receivedOn: await c.today(), filedBy: 'subjectOrganisation', summary: '单位申诉' });
      expect(byUnit.message).toContain('第十七条');
      await c.handle.terminate('test done');
    });
  });

  it('records the subject’s appeal received on day 10 while its party organisation is still unserved (第十七条: the window is the subject’s own)', async () => {
    await run(async (tq) => {
      const c = await decidedAndFiled(tq, 'denied');
      const subjectServedOn = await c.today();
      let state = await c.act('serveNotice', { servedOn: subjectServedOn, servedTo: ['subject'] });
      // The subject's window runs from its own service, beside the notice still waiting for the organisation.
      expect(state).toMatchObject({ stage: 'notice', alongside: ['appeal'] });
      expect(state.notice).toBeUndefined();
      expect(state.deadlines.find((d) => d.key === 'appealWindow')).toMatchObject({ status: 'pending', from: subjectServedOn, deadline: (await c.expectedDeadline(subjectServedOn, 15, 'days')).deadline });

      await c.sleep(10 * DAY);
      const receivedOn = await c.today();
      state = await c.act('fileAppeal', { receivedOn, summary: '对不予免责结论有不同意见' });
      expect(state.appeal).toMatchObject({ receivedOn, filedBy: 'subject' });
      expect(state.deadlines.find((d) => d.key === 'appealWindow')?.status).toBe('met');
      expect(state.deadlines.find((d) => d.key === 'appealDecision')).toMatchObject({ status: 'pending', from: receivedOn });
      expect(state.stage).toBe('notice');

      // The organisation is served on day 30; the appeal, already filed, is decided after it, and the case goes on.
      await c.sleep(20 * DAY);
      state = await c.act('serveNotice', { servedOn: await c.today(), servedTo: ['subjectOrganisation'] });
      expect(state).toMatchObject({ stage: 'appeal' });
      expect(state.alongside ?? []).not.toContain('appeal');
      state = await c.act('decideAppeal', { decidedOn: await c.today(), result: 'upheld', reasons: '维持原结论' }, supervisor);
      expect(state.stage).toBe('publication');
      expect(state.documents.map((d) => d.kind)).toContain('appealDecision');
      await c.handle.terminate('test done');
      await recordHistory('binhai-appeal-before-organisation-served', c.handle);
    });
  });

  it('lets the subject’s window lapse on its own while the organisation is unserved, and refuses a later appeal as out of time', async () => {
    await run(async (tq) => {
      const c = await decidedAndFiled(tq, 'denied');
      const subjectServedOn = await c.today();
      await c.act('serveNotice', { servedOn: subjectServedOn, servedTo: ['subject'] });
      const window = (await c.state()).deadlines.find((d) => d.key === 'appealWindow')!;
      await c.advanceTo('appealWindow', 60_000);
      let state = await c.advanceTo('appealWindowRecording', 60_000);
      expect(state.deadlines.find((d) => d.key === 'appealWindow')?.status).toBe('lapsed');
      expect(state.timeline.map((e) => e.event)).toContain('appealWindowClosed');
      const late = await c.refused('fileAppeal', { receivedOn: await c.today(), summary: '逾期申诉' });
      expect(late.type).toBe('WindowClosed');
      expect(late.message).toContain(window.deadline);
      // The organisation's service completes the notice; no appeal is left to wait for.
      state = await c.act('serveNotice', { servedOn: await c.today(), servedTo: ['subjectOrganisation'] });
      expect(state.stage).toBe('publication');
      await c.handle.terminate('test done');
    });
  });
});
