/**
 * 承办人 and the work queues over HTTP against the real stack: a supervisor
 * assigns a case (with a reason, in the timeline) only to an officer of its
 * authority who is not recused, else 409 naming why; an officer claims a case
 * nobody holds; a recusal takes the person off the case; 我的待办
 * (listMyWork) lists what waits for the caller, by assignment or role; the
 * case list filters by 承办人; and whoever a step starts waiting for is told,
 * in the inbox and by e-mail where its token gave an address.
 */
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { emailChannel } from '../../services/notices/email';
import { eventually } from '../support/eventually';
import { startSmtpServer, type TestSmtpServer } from '../support/notice-receivers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let smtp: TestSmtpServer;
const today = beijingDate(Date.now());
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const tokens: Record<string, string> = {};

beforeAll(async () => {
  smtp = await startSmtpServer();
  stack = await startStack({ notices: { channels: [emailChannel({ url: smtp.url, from: 'jw@binhai.example.cn' })], maxAttempts: 3 } });
  const people = {
    leader: { roles: ['supervisor'], sub: 'wk-leader', name: '赵主任' },
    opener: { roles: ['officer'], sub: 'wk-opener', name: '李办案' },
    chen: { roles: ['officer'], sub: 'wk-chen', name: '陈承办', email: 'chen@binhai.example.cn' },
    liu: { roles: ['officer'], sub: 'wk-liu', name: '刘协办' },
    sun: { roles: ['officer'], sub: 'wk-sun', name: '孙某' },
    auditor: { roles: ['auditor'], sub: 'wk-auditor', name: '周审计' },
  } as const;
  for (const [key, p] of Object.entries(people)) {
    tokens[key] = await stack.token({ ...p, roles: [...p.roles], authority: 'binhai-jw' });
    // Each signs in once: the staff directory knows them from their tokens.
    await request(stack.app).get('/v1/inbox').set(auth(tokens[key]!)).expect(200);
  }
  tokens.elsewhere = await stack.token({ roles: ['officer'], authority: 'hz-jyj', sub: 'wk-hz', name: '钱办案' });
  await request(stack.app).get('/v1/inbox').set(auth(tokens.elsewhere)).expect(200);
});
afterAll(async () => {
  await stack?.stop();
  await smtp?.close();
});

async function open(): Promise<string> {
  const res = await request(stack.app)
    .post('/v1/cases')
    .set(auth(tokens.opener!))
    .send({ jurisdiction: 'binhai', subject: { name: '王某', organisation: '某街道党工委' }, matter: '老旧小区改造中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕51号' }, eventDate: today });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function act(who: string, caseId: string, action: string, body: object) {
  await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(tokens[who]!));
    expect(res.body.availableActions?.map((a: { name: string }) => a.name)).toContain(action);
  }, 30_000);
  return request(stack.app).post(`/v1/cases/${caseId}/actions/${action}`).set(auth(tokens[who]!)).send(body);
}

const work = async (who: string) => (await request(stack.app).get('/v1/work').set(auth(tokens[who]!)).expect(200)).body as { today: string; work: WorkItem[]; unassigned: WorkItem[] };
interface WorkItem {
  caseId: string;
  action: string;
  label: string;
  deadline?: string;
  article?: string;
  daysLeft: number | null;
  overdue: boolean;
  why: string;
}

describe('assigning a case', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await open();
    expect((await act('opener', caseId, 'recordRecusal', { person: { sub: 'wk-sun', name: '孙某' }, reason: '与被调查对象有亲属关系' })).status).toBe(200);
  });

  it('refuses a non-officer, someone never seen, an officer of another authority and a recused officer with 409 naming why, and changes nothing', async () => {
    const cases = [
      ['wk-auditor', 'assignee_not_officer', /not an officer \(roles: auditor\)/],
      ['wk-nobody', 'assignee_not_officer', /never signed in/],
      ['wk-hz', 'assignee_other_authority', /another authority \(hz-jyj\)/],
      ['wk-sun', 'assignee_recused', /recused/],
    ] as const;
    for (const [responsible, code, why] of cases) {
      const res = await request(stack.app).post(`/v1/cases/${caseId}/actions/assignCase`).set(auth(tokens.leader!)).set('Accept-Language', 'en').send({ responsible, reason: '统筹安排' });
      expect([responsible, res.status, res.body.code, res.body.errors?.[0]?.field]).toEqual([responsible, 409, code, 'body.responsible']);
      expect(res.body.detail).toMatch(why);
    }
    // In the team too.
    const team = await request(stack.app).post(`/v1/cases/${caseId}/actions/assignCase`).set(auth(tokens.leader!)).send({ responsible: 'wk-chen', team: ['wk-sun'], reason: '统筹安排' });
    expect([team.status, team.body.code, team.body.errors?.[0]?.field]).toEqual([409, 'assignee_recused', 'body.team.0']);
    // Only a supervisor assigns.
    expect((await request(stack.app).post(`/v1/cases/${caseId}/actions/assignCase`).set(auth(tokens.opener!)).send({ responsible: 'wk-chen', reason: '统筹安排' })).status).toBe(403);
    const state = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(tokens.leader!)).expect(200);
    expect(state.body.assignment).toBeUndefined();
  });

  it('assigns an officer and a team with a reason in the timeline, tells them, and the case list filters by 承办人', async () => {
    const res = await request(stack.app).post(`/v1/cases/${caseId}/actions/assignCase`).set(auth(tokens.leader!)).send({ responsible: 'wk-chen', team: ['wk-liu'], reason: '熟悉该街道情况' });
    expect(res.status).toBe(200);
    expect(res.body.assignment).toMatchObject({ responsible: { sub: 'wk-chen', name: '陈承办' }, team: [{ sub: 'wk-liu', name: '刘协办' }], reason: '熟悉该街道情况', assignedBy: { sub: 'wk-leader' } });
    expect(res.body.timeline.find((e: { event: string }) => e.event === 'caseAssigned')).toMatchObject({ actor: { sub: 'wk-leader' }, detail: expect.stringContaining('熟悉该街道情况') });
    // No account in visibility: the case carries keyed hashes only.
    const described = await stack.env.client.workflow.getHandle(caseId).describe();
    expect(JSON.stringify(described.searchAttributes)).not.toContain('wk-chen');
    await eventually(async () => {
      const inbox = (await request(stack.app).get('/v1/inbox').set(auth(tokens.chen!)).expect(200)).body.notices as { caseId: string; subject: string }[];
      expect(inbox.find((n) => n.caseId === caseId && n.subject.includes('承办人'))).toBeDefined();
    }, 30_000);
    await eventually(async () => {
      const mine = await request(stack.app).get('/v1/cases').query({ assignee: 'mine' }).set(auth(tokens.chen!)).expect(200);
      expect(mine.body.cases.map((c: { id: string }) => c.id)).toContain(caseId);
      expect(mine.body.cases.every((c: { mine: boolean }) => c.mine)).toBe(true);
      const team = await request(stack.app).get('/v1/cases').query({ assignee: 'mine' }).set(auth(tokens.liu!)).expect(200);
      expect(team.body.cases.map((c: { id: string }) => c.id)).toContain(caseId);
      const unassigned = await request(stack.app).get('/v1/cases').query({ assignee: 'unassigned' }).set(auth(tokens.opener!)).expect(200);
      expect(unassigned.body.cases.map((c: { id: string }) => c.id)).not.toContain(caseId);
      const others = await request(stack.app).get('/v1/cases').query({ assignee: 'mine' }).set(auth(tokens.opener!)).expect(200);
      expect(others.body.cases.map((c: { id: string }) => c.id)).not.toContain(caseId);
    }, 30_000);
    expect((await request(stack.app).get('/v1/cases').query({ assignee: 'someone' }).set(auth(tokens.opener!))).body.errors).toEqual([expect.objectContaining({ field: 'query.assignee' })]);
  });

  it('takes a person recorded as recused off the case', async () => {
    const res = await act('leader', caseId, 'recordRecusal', { person: { sub: 'wk-chen', name: '陈承办' }, reason: '后发现与被调查对象有利害关系' });
    expect(res.status).toBe(200);
    expect(res.body.assignment).toBeUndefined();
    expect(res.body.timeline.map((e: { event: string }) => e.event)).toContain('assignmentEnded');
    // And never again.
    const again = await request(stack.app).post(`/v1/cases/${caseId}/actions/assignCase`).set(auth(tokens.leader!)).send({ responsible: 'wk-chen', reason: '重新指定' });
    expect([again.status, again.body.code]).toEqual([409, 'assignee_recused']);
    await eventually(async () => {
      const unassigned = await request(stack.app).get('/v1/cases').query({ assignee: 'unassigned' }).set(auth(tokens.opener!)).expect(200);
      expect(unassigned.body.cases.map((c: { id: string }) => c.id)).toContain(caseId);
    }, 30_000);
  });
});

describe('claiming a case and 我的待办', () => {
  it('lets an officer claim a case nobody holds and find its next step in its work; a second claim is refused', async () => {
    const caseId = await open();
    await act('opener', caseId, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' });
    // Nobody holds it: its officers' steps are listed apart, for any officer to claim.
    await eventually(async () => {
      const before = await work('chen');
      expect(before.unassigned.some((w) => w.caseId === caseId && w.action === 'appointInvestigationGroup')).toBe(true);
      expect(before.work.some((w) => w.caseId === caseId)).toBe(false);
    }, 30_000);
    // The officers were told it waits (their role's inbox), as nobody holds it.
    await eventually(async () => {
      const inbox = (await request(stack.app).get('/v1/inbox').set(auth(tokens.liu!)).expect(200)).body.notices as { caseId: string; subject: string }[];
      expect(inbox.find((n) => n.caseId === caseId && n.subject.startsWith('【待办】') && n.subject.includes('成立调查组'))).toBeDefined();
    }, 30_000);

    const claimed = await act('chen', caseId, 'claimCase', {});
    expect(claimed.status).toBe(200);
    expect(claimed.body.assignment).toMatchObject({ responsible: { sub: 'wk-chen' }, reason: '认领' });
    expect(claimed.body.timeline.map((e: { event: string }) => e.event)).toContain('caseClaimed');
    const second = await request(stack.app).post(`/v1/cases/${caseId}/actions/claimCase`).set(auth(tokens.liu!)).send({});
    expect([second.status, second.body.code]).toEqual([409, 'wrong_stage']);

    const mine = await eventually(async () => {
      const w = await work('chen');
      const steps = w.work.filter((x) => x.caseId === caseId);
      expect(steps.map((x) => x.action)).toEqual(expect.arrayContaining(['appointInvestigationGroup', 'submitInvestigationReport']));
      return steps;
    }, 30_000);
    // Binhai sets the investigation no period: no last day, nothing overdue.
    expect(mine.find((x) => x.action === 'submitInvestigationReport')).toMatchObject({ why: 'assigned', overdue: false, daysLeft: null });
    // Nobody else's, and not listed for claiming any more.
    expect((await work('liu')).work.some((x) => x.caseId === caseId)).toBe(false);
    expect((await work('liu')).unassigned.some((x) => x.caseId === caseId)).toBe(false);
    // A party's own window is nobody's work at the authority; steps always on offer neither.
    expect(mine.some((x) => ['fileApplication', 'recordRecusal', 'withdrawCase', 'assignCase', 'claimCase', 'bindSubjectAccount'].includes(x.action))).toBe(false);
    // Auditors have no queue.
    expect(await work('auditor')).toMatchObject({ work: [], unassigned: [] });
  });

  it('shows a supervisor the deliberation that waits for it, and tells the supervisors (and the 承办人 by e-mail, where it has an address)', async () => {
    const caseId = await open();
    await act('opener', caseId, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' });
    expect((await act('chen', caseId, 'claimCase', {})).status).toBe(200);
    await act('chen', caseId, 'appointInvestigationGroup', { appointedOn: today, members: [{ name: '甲调查', declaresNoConflict: true }, { name: '乙调查', declaresNoConflict: true }] });
    await act('chen', caseId, 'recordStatement', { receivedOn: today, summary: '本人陈述', form: 'interviewRecord' });
    await act('chen', caseId, 'submitInvestigationReport', { submittedOn: today, findings: '为推进改革简化程序', recommendation: 'exempt', circumstances: ['binhai-6-3'], mitigating: [] });
    const deliberation = await eventually(async () => {
      const w = await work('leader');
      const item = w.work.find((x) => x.caseId === caseId && x.action === 'recordDetermination');
      expect(item).toBeDefined();
      return item!;
    }, 30_000);
    expect(deliberation.why).toBe('supervisor');
    // Not the officer's: it waits for a supervisor.
    expect((await work('chen')).work.some((x) => x.caseId === caseId && x.action === 'recordDetermination')).toBe(false);
    await eventually(async () => {
      const inbox = (await request(stack.app).get('/v1/inbox').set(auth(tokens.leader!)).expect(200)).body.notices as { caseId: string; subject: string; body: string }[];
      const told = inbox.find((n) => n.caseId === caseId && n.subject.startsWith('【待办】') && n.subject.includes('集体研究'));
      expect(told).toBeDefined();
    }, 30_000);

    // Decided: the filing waits for the 承办人, who is told in its inbox and by e-mail at the address its token gave.
    const decided = await act('leader', caseId, 'recordDetermination', {
      decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: [], reasons: '符合第六条情形', complex: false,
    });
    expect(decided.status).toBe(200);
    await eventually(async () => {
      const mail = smtp.messages.find((m) => m.subject?.startsWith(`【待办】${caseId}`));
      expect((mail?.to as { value: { address: string }[] } | undefined)?.value[0]?.address).toBe('chen@binhai.example.cn');
      expect(mail?.subject).toContain('备案');
    }, 30_000);
    expect((await act('chen', caseId, 'recordFiling', { filedOn: today })).status).toBe(200);
    // The notice is due within 5 working days of the decision (第十五条): its last day, article and the days left.
    const notice = await eventually(async () => {
      const item = (await work('chen')).work.find((x) => x.caseId === caseId && x.action === 'serveNotice');
      expect(item).toBeDefined();
      return item!;
    }, 30_000);
    expect(notice).toMatchObject({ why: 'assigned', article: '第十五条', overdue: false });
    expect(notice.daysLeft).toBeGreaterThanOrEqual(0);
    expect(notice.deadline! >= today).toBe(true);
  }, 120_000);
});
