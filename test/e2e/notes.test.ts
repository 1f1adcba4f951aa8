/**
 * Staff-only notes over HTTP: officers and supervisors of the case's authority
 * write them (with author and time, kept as written), every staff role reads
 * them, nobody recused and no party ever does, no document carries them, and
 * a note on a closed case is refused with 409.
 */
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
const today = beijingDate(Date.now());
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

it('are written by officers and supervisors, read by staff, never by the recused or a party, and refused on a closed case', async () => {
  const officer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'nt-officer', name: '李办案' });
  const auditor = await stack.token({ roles: ['auditor'], authority: 'binhai-jw', sub: 'nt-auditor', name: '周审计' });
  const recused = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'nt-recused', name: '钱某' });
  const other = await stack.token({ roles: ['officer'], authority: 'hz-jyj', sub: 'nt-hz', name: '吴办案' });
  const party = await stack.token({ roles: ['party'], authority: 'binhai-jw', sub: 'nt-cadre', name: '王某' });
  const opened = await request(stack.app)
    .post('/v1/cases')
    .set(auth(officer))
    .send({ jurisdiction: 'binhai', subject: { name: '王某', organisation: '某街道党工委' }, matter: '老旧小区改造中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕71号' }, eventDate: today })
    .expect(201);
  const caseId = opened.body.id as string;
  const act = async (action: string, body: object) => {
    await eventually(async () => {
      const res = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(officer));
      expect(res.body.availableActions?.map((a: { name: string }) => a.name)).toContain(action);
    }, 30_000);
    return request(stack.app).post(`/v1/cases/${caseId}/actions/${action}`).set(auth(officer)).send(body).expect(200);
  };
  await act('bindSubjectAccount', { userId: 'nt-cadre' });
  await act('recordRecusal', { person: { sub: 'nt-recused', name: '钱某' }, reason: '亲属关系' });

  const written = await request(stack.app).post(`/v1/cases/${caseId}/notes`).set(auth(officer)).send({ text: '  当事人称材料另有补充，（待核）  ' }).expect(201);
  expect(written.body).toMatchObject({ caseId, author: { sub: 'nt-officer', name: '李办案' }, text: '当事人称材料另有补充，（待核）' });
  expect(Math.abs(Date.parse(written.body.writtenAt) - Date.now())).toBeLessThan(60_000);
  await request(stack.app).post(`/v1/cases/${caseId}/notes`).set(auth(officer)).send({ text: '第二条备注' }).expect(201);

  const read = await request(stack.app).get(`/v1/cases/${caseId}/notes`).set(auth(auditor)).expect(200);
  expect(read.body.notes.map((n: { text: string }) => n.text)).toEqual(['当事人称材料另有补充，（待核）', '第二条备注']);
  // Auditors read, never write; the recused neither; another authority does not find the case; a party has no door to them.
  expect((await request(stack.app).post(`/v1/cases/${caseId}/notes`).set(auth(auditor)).send({ text: 'x' })).status).toBe(403);
  expect((await request(stack.app).post(`/v1/cases/${caseId}/notes`).set(auth(recused)).send({ text: 'x' })).status).toBe(403);
  expect((await request(stack.app).get(`/v1/cases/${caseId}/notes`).set(auth(recused))).status).toBe(403);
  expect((await request(stack.app).get(`/v1/cases/${caseId}/notes`).set(auth(other))).status).toBe(404);
  expect((await request(stack.app).get(`/v1/cases/${caseId}/notes`).set(auth(party))).status).toBe(403);
  const partyView = await request(stack.app).get(`/v1/my/cases/${caseId}`).set(auth(party)).expect(200);
  expect(JSON.stringify(partyView.body)).not.toContain('备注');
  expect(JSON.stringify(partyView.body)).not.toContain('待核');
  // Bad input names the field.
  const empty = await request(stack.app).post(`/v1/cases/${caseId}/notes`).set(auth(officer)).send({ text: '' });
  expect([empty.status, empty.body.errors?.[0]?.field]).toEqual([400, 'body.text']);

  // Closed: no note is added, and the notes stay readable.
  await act('withdrawCase', { reason: '问责部门决定终结' });
  await eventually(async () => expect((await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(officer))).body.closed).toBe(true), 30_000);
  const closed = await request(stack.app).post(`/v1/cases/${caseId}/notes`).set(auth(officer)).send({ text: '结案后备注' });
  expect([closed.status, closed.body.code]).toEqual([409, 'case_closed']);
  expect((await request(stack.app).get(`/v1/cases/${caseId}/notes`).set(auth(officer)).expect(200)).body.notes).toHaveLength(2);
  // No document of the case carries a note.
  for (const d of (await request(stack.app).get(`/v1/cases/${caseId}/documents`).set(auth(officer)).expect(200)).body.documents) {
    const rows = await stack.db.query<{ body: string }>('select body from documents where id = $1', [d.documentId]);
    expect(rows[0]!.body).not.toContain('待核');
  }
});
