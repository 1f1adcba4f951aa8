/**
 * What one authority's users can reach, on the real stack: only their own
 * authority's cases, whatever a claim or a filter holds; their own
 * Idempotency-Keys; only the jurisdiction their authority is bound to; the
 * subject's inbox only through an account an officer of the case's authority
 * bound; and, when recused, nothing of the investigation file.
 */
import request from 'supertest';
import { SignJWT } from 'jose';
import { EMBEDDED_TOKEN_AUDIENCE, EMBEDDED_TOKEN_ISSUER } from '../../api/auth';
import { visibilityQuery } from '../../api/routes/cases';
import { beijingDate } from '../../domain/calendar';
import { UnsafeQueryValue } from '../../services/cases/visibility';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { testMatterIndex } from '../support/keys';

let stack: Stack;
const today = beijingDate(Date.now());
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
let binhaiOfficer: string;
let hzOfficer: string;

const opening = (jurisdiction: string, matter = '城市更新中的程序瑕疵') => ({
  jurisdiction,
  subject: { name: '王某', organisation: '某街道党工委' },
  matter,
  accountability: { reference: '问〔2026〕1号' },
  eventDate: today,
});

async function open(token: string, jurisdiction: string, key?: string, matter?: string): Promise<string> {
  let req = request(stack.app).post('/v1/cases').set(auth(token));
  if (key) req = req.set('Idempotency-Key', key);
  const res = await req.send(opening(jurisdiction, matter));
  expect([res.status, res.body.code]).toEqual([201, undefined]);
  return res.body.id as string;
}

/** Waits until the case offers the step, then takes it. */
async function act(token: string, caseId: string, action: string, body: object) {
  await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(token));
    expect(res.body.availableActions.map((a: { name: string }) => a.name)).toContain(action);
  });
  return request(stack.app).post(`/v1/cases/${caseId}/actions/${action}`).set(auth(token)).send(body);
}

const listIds = async (token: string, query: Record<string, string>) => {
  const res = await request(stack.app).get('/v1/cases').query(query).set(auth(token));
  return { status: res.status, body: res.body, ids: (res.body.cases ?? []).map((c: { id: string }) => c.id) as string[] };
};

let binhaiCase: string;
let hzCase: string;

beforeAll(async () => {
  stack = await startStack();
  binhaiOfficer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'bh-officer', name: '李办案' });
  hzOfficer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'hz-jyj', sub: 'hz-officer', name: '钱办案' });
  binhaiCase = await open(binhaiOfficer, 'binhai');
  hzCase = await open(hzOfficer, 'hangzhou-education');
  // Both visible in their own authority's list before anything is asked of them.
  await eventually(async () => expect((await listIds(binhaiOfficer, {})).ids).toContain(binhaiCase));
  await eventually(async () => expect((await listIds(hzOfficer, {})).ids).toContain(hzCase));
});
afterAll(() => stack?.stop());

describe('the case list', () => {
  it.each([
    ['a quote and OR', '城市" OR Authority != "x'],
    ['a single quote and OR', "城市' OR Authority != 'x"],
    ['AND and a backslash', '城市\\" AND WorkflowType = "exemptionReview'],
    ['a trailing backslash', '城市\\'],
  ])('never widens to another authority’s cases for a search with %s', async (_label, q) => {
    const res = await listIds(hzOfficer, { q });
    expect(res.status).toBe(200);
    expect(res.ids).not.toContain(binhaiCase);
  });

  it.each([
    ['a double quote and OR', 'hz-jyj" OR Authority = "binhai-jw'],
    ['a single quote and OR', "hz-jyj' OR Authority = 'binhai-jw"],
    ['an escaped quote', 'hz-jyj\\" OR Authority = "binhai-jw'],
    ['AND and OR', 'x" AND WorkflowType = "exemptionReview" OR CaseId != "'],
  ])('builds its visibility query so that a value with %s stays one literal, whatever the schemas let through', async (_label, value) => {
    // Straight to Temporal, past every schema: the escaping alone must hold.
    for (const query of [visibilityQuery(value, {}, testMatterIndex), visibilityQuery('hz-jyj', { jurisdiction: value, stage: value, outcome: value }, testMatterIndex)]) {
      const page = await stack.env.client.workflowService.listWorkflowExecutions({ namespace: stack.env.namespace ?? 'default', query });
      expect((page.executions ?? []).map((e) => e.execution?.workflowId)).toEqual([]);
    }
    expect(() => visibilityQuery('hz-jyj\u0000', {}, testMatterIndex)).toThrow(UnsafeQueryValue);
  });

  it('refuses a filter or a claim that is not a plain value, naming it', async () => {
    const filter = await listIds(hzOfficer, { jurisdiction: 'binhai" OR Authority = "binhai-jw' });
    expect([filter.status, filter.body.errors.map((e: { field: string }) => e.field)]).toEqual([400, ['query.jurisdiction']]);
    const nul = await listIds(hzOfficer, { q: '城市\u0000' });
    expect([nul.status, nul.body.errors.map((e: { field: string }) => e.field)]).toEqual([400, ['query.q']]);
    const forged = await new SignJWT({ name: 'x', roles: ['auditor'], authority: 'hz-jyj" OR Authority = "binhai-jw' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer(EMBEDDED_TOKEN_ISSUER)
      .setAudience(EMBEDDED_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(stack.secret);
    const claim = await listIds(forged, {});
    // A malformed claim is an invalid credential (401, RFC 6750), naming the claim.
    expect([claim.status, claim.body.errors.map((e: { field: string }) => e.field), claim.ids]).toEqual([401, ['token.authority'], []]);
  });

  it('answers a made-up page token, or one of another list, with 400 naming it', async () => {
    await open(binhaiOfficer, 'binhai');
    const first = await eventually(async () => {
      const res = await listIds(binhaiOfficer, { pageSize: '1' });
      expect(res.body.nextPageToken).toEqual(expect.any(String));
      return res.body.nextPageToken as string;
    });
    expect((await listIds(binhaiOfficer, { pageSize: '1', pageToken: first })).status).toBe(200);
    for (const [token, query] of [
      [first, { pageSize: '1', jurisdiction: 'binhai' }], // another filter
      ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { pageSize: '1' }], // made up
    ] as const) {
      const res = await listIds(binhaiOfficer, { ...query, pageToken: token });
      expect([res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, ['query.pageToken']]);
    }
    // Another authority's token is another list's.
    const foreign = await listIds(hzOfficer, { pageSize: '1', pageToken: first });
    expect([foreign.status, foreign.ids]).toEqual([400, []]);
  });
});

describe('opening a case', () => {
  it('is only under the jurisdiction the authority is bound to', async () => {
    const res = await request(stack.app).post('/v1/cases').set(auth(hzOfficer)).send(opening('binhai'));
    expect([res.status, res.body.code, res.body.errors]).toEqual([403, 'jurisdiction_not_bound', [expect.objectContaining({ field: 'body.jurisdiction' })]]);
    const unknown = await stack.token({ roles: ['officer'], authority: 'nowhere-jw' });
    expect((await request(stack.app).post('/v1/cases').set(auth(unknown)).send(opening('binhai'))).status).toBe(403);
  });

  it('with an Idempotency-Key another authority’s user also used never answers the other authority’s case', async () => {
    const same = { sub: 'same-account', name: '同名' };
    const atBinhai = await stack.token({ roles: ['officer'], authority: 'binhai-jw', ...same });
    const atHz = await stack.token({ roles: ['officer'], authority: 'hz-jyj', ...same });
    const first = await open(atBinhai, 'binhai', 'shared-key');
    const second = await open(atHz, 'hangzhou-education', 'shared-key');
    expect(second).not.toBe(first);
    expect(second).toMatch(/^case-hangzhou-education-/);
    expect(await open(atBinhai, 'binhai', 'shared-key')).toBe(first);
    expect((await request(stack.app).get(`/v1/cases/${first}`).set(auth(atHz))).status).toBe(404);
  });
});

describe('the subject’s account', () => {
  it('is bound by an officer of the case’s authority; notices already sent follow it, and none reaches another authority’s account', async () => {
    // 银川: accepting the application tells the applicant, here before any account is bound.
    const officer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'yinchuan-jw', sub: 'yc-officer', name: '马办案' });
    const caseId = await open(officer, 'yinchuan');
    expect((await act(officer, caseId, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' })).status).toBe(200);
    expect((await act(officer, caseId, 'decideAcceptance', { accepted: true, decidedOn: today })).status).toBe(200);
    await eventually(async () => {
      const rows = await stack.db.query<{ n: number }>(`select count(*)::int as n from notifications where case_id = $1 and recipient_key = $2`, [caseId, `party:${caseId}:subject`]);
      expect(rows[0]!.n).toBeGreaterThan(0);
    });
    // Party accounts: a party's inbox holds its own notices only.
    const subject = await stack.token({ roles: ['party'], authority: 'yinchuan-jw', sub: 'cadre-9', name: '王某' });
    const namesake = await stack.token({ roles: ['party'], authority: 'hz-jyj', sub: 'cadre-9', name: '王某' });
    const inboxOf = async (token: string) =>
      ((await request(stack.app).get('/v1/inbox').set(auth(token)).expect(200)).body.notices as { caseId: string }[]).filter((n) => n.caseId === caseId);
    expect(await inboxOf(subject)).toEqual([]);

    // Only an officer of the case's authority can bind it: another authority does not even see the case.
    expect((await request(stack.app).post(`/v1/cases/${caseId}/actions/bindSubjectAccount`).set(auth(hzOfficer)).send({ userId: 'cadre-9' })).status).toBe(404);
    const bound = await act(officer, caseId, 'bindSubjectAccount', { userId: 'cadre-9' });
    expect([bound.status, bound.body.subject.userId]).toEqual([200, 'cadre-9']);
    expect(bound.body.timeline.map((e: { event: string }) => e.event)).toContain('subjectAccountBound');

    expect((await inboxOf(subject)).length).toBeGreaterThan(0);
    expect(await inboxOf(namesake)).toEqual([]);
    // Bound once: another account is refused, the same one again changes nothing.
    const other = await act(officer, caseId, 'bindSubjectAccount', { userId: 'cadre-10' });
    expect([other.status, other.body.code]).toEqual([422, 'invalid_step']);
    expect((await act(officer, caseId, 'bindSubjectAccount', { userId: 'cadre-9' })).status).toBe(200);
    // The subject may read but never act on its own case, whatever roles its account holds.
    const subjectAsOfficer = await stack.token({ roles: ['officer'], authority: 'yinchuan-jw', sub: 'cadre-9', name: '王某' });
    const own = await request(stack.app).post(`/v1/cases/${caseId}/actions/recordRecusal`).set(auth(subjectAsOfficer)).send({ person: { name: '某人' }, reason: '—' });
    expect([own.status, own.body.code]).toEqual([422, 'recused']);
  });
});

describe('recusal', () => {
  it('is by account where one exists and by normalised name otherwise; a recused user sees a redacted case and no documents', async () => {
    const caseId = await open(binhaiOfficer, 'binhai');
    // Recorded by name only, written with full-width letters and spaces around it.
    expect((await act(binhaiOfficer, caseId, 'recordRecusal', { person: { name: ' Ｚｈａｏ　Ｍｏｕ ' }, reason: '亲属关系' })).status).toBe(200);
    expect((await act(binhaiOfficer, caseId, 'recordRecusal', { person: { sub: 'sun-1', name: '孙某' }, reason: '利害关系' })).status).toBe(200);

    const byName = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'zhao-1', name: 'Zhao Mou' });
    const byAccount = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'sun-1', name: '孙某某' });
    const namesakeOfAccount = await stack.token({ roles: ['auditor'], authority: 'binhai-jw', sub: 'sun-2', name: '孙某' });
    for (const token of [byName, byAccount]) {
      const read = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(token)).expect(200);
      expect(read.body).toMatchObject({ caseId, stage: 'application', availableActions: [], redacted: { reason: 'recused' } });
      expect(read.body).not.toHaveProperty('timeline');
      expect(read.body).not.toHaveProperty('subject');
      expect(read.body).not.toHaveProperty('recusals');
      const documents = await request(stack.app).get(`/v1/cases/${caseId}/documents`).set(auth(token));
      expect([documents.status, documents.body.code]).toEqual([403, 'recused']);
      const step = await request(stack.app).post(`/v1/cases/${caseId}/actions/fileApplication`).set(auth(token)).send({ filedBy: 'subject', receivedOn: today, summary: '申请' });
      expect([step.status, step.body.code]).toEqual([422, 'recused']);
    }
    // The recusal names an account, so someone else of the same name is not recused.
    const other = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(namesakeOfAccount)).expect(200);
    expect(other.body).toHaveProperty('timeline');
  });

  it('keeps a recused person, and the same person twice, out of the investigation group', async () => {
    const caseId = await open(binhaiOfficer, 'binhai');
    expect((await act(binhaiOfficer, caseId, 'recordRecusal', { person: { sub: 'zhou-1', name: '周某' }, reason: '亲属关系' })).status).toBe(200);
    expect((await act(binhaiOfficer, caseId, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' })).status).toBe(200);
    const appoint = (members: object[]) => act(binhaiOfficer, caseId, 'appointInvestigationGroup', { appointedOn: today, members });
    const twice = await appoint([{ name: '陈调查', declaresNoConflict: true }, { name: '陈　调查', declaresNoConflict: true }]);
    expect([twice.status, twice.body.code, twice.body.detail]).toEqual([422, 'invalid_step', expect.stringContaining('调查组成员第 2 项：与 调查组成员第 1 项 是同一人')]);
    const twiceByAccount = await appoint([{ sub: 'chen-1', name: '陈调查' }, { sub: 'chen-1', name: '陈某' }].map((m) => ({ ...m, declaresNoConflict: true })));
    expect([twiceByAccount.status, twiceByAccount.body.detail]).toEqual([422, expect.stringContaining('调查组成员第 2 项')]);
    // Named without an account, the recused person is still known by name.
    const recused = await appoint([{ name: '陈调查', declaresNoConflict: true }, { name: '周某', declaresNoConflict: true }]);
    expect([recused.status, recused.body.code]).toEqual([422, 'recused']);
    expect((await appoint([{ name: '陈调查', declaresNoConflict: true }, { name: '刘调查', declaresNoConflict: true }])).status).toBe(200);
  });
});
