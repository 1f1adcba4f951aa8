/**
 * The access log over HTTP against the real stack: every read of a case, its
 * documents, its notes, and every codec decode is in the archive before it is
 * answered, with who (account, name, roles, authority), when, what (event,
 * operation, case, document), from where (address, user agent) and the
 * answer's status, refusals included; the authority's auditors read a case's
 * log and export it as CSV; the chain verifies; and a read whose record cannot
 * be written is refused, never served unlogged.
 */
import type { Payload } from '@temporalio/common';
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { verifyAccessLog } from '../../store/access-log';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseId: string;
const today = beijingDate(Date.now());
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const t = {} as Record<'officer' | 'auditor' | 'recused' | 'other', string>;
const UA = 'rongcuo-access-log-test/1.0';

interface Row {
  seq: string | number;
  sub: string | null;
  name: string | null;
  roles: string[];
  authority: string | null;
  event: string;
  operation: string;
  case_id: string | null;
  document_id: string | null;
  address: string | null;
  user_agent: string | null;
  status: number;
  detail: Record<string, unknown> | null;
  at: Date | string;
}
const rowsAfter = (seq: number) => stack.db.query<Row>('select * from access_log where seq > $1 order by seq', [seq]);
const lastSeq = async () => Number((await stack.db.query<{ s: string | null }>('select max(seq) as s from access_log'))[0]?.s ?? 0);

/** The records one request left: the request goes out with our user agent, and the records of it are read back. */
async function logged(send: () => request.Test): Promise<{ res: request.Response; rows: Row[] }> {
  const before = await lastSeq();
  const res = await send().set('User-Agent', UA);
  return { res, rows: (await rowsAfter(before)).filter((r) => r.user_agent === UA) };
}

beforeAll(async () => {
  stack = await startStack();
  t.officer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'al-officer', name: '李办案' });
  t.auditor = await stack.token({ roles: ['auditor'], authority: 'binhai-jw', sub: 'al-auditor', name: '周审计' });
  t.recused = await stack.token({ roles: ['auditor', 'officer'], authority: 'binhai-jw', sub: 'al-recused', name: '钱某' });
  t.other = await stack.token({ roles: ['auditor'], authority: 'hz-jyj', sub: 'al-hz', name: '吴审计' });
  const opened = await request(stack.app)
    .post('/v1/cases')
    .set(auth(t.officer))
    .send({ jurisdiction: 'binhai', subject: { name: '王某', organisation: '某街道党工委' }, matter: '老旧小区改造中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕61号' }, eventDate: today })
    .expect(201);
  caseId = opened.body.id;
  await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(t.officer));
    expect(res.body.availableActions?.map((a: { name: string }) => a.name)).toContain('recordRecusal');
  }, 30_000);
  await request(stack.app).post(`/v1/cases/${caseId}/actions/recordRecusal`).set(auth(t.officer)).send({ person: { sub: 'al-recused', name: '钱某' }, reason: '亲属关系' }).expect(200);
  await request(stack.app).post(`/v1/cases/${caseId}/actions/fileApplication`).set(auth(t.officer)).send({ filedBy: 'subject', receivedOn: today, summary: '申请容错免责' }).expect(200);
});
afterAll(() => stack?.stop());

describe('every read', () => {
  it('of a case is logged with who, when, what, from where and the answer’s status, a refusal as much as a read', async () => {
    const read = await logged(() => request(stack.app).get(`/v1/cases/${caseId}`).set(auth(t.officer)));
    expect(read.res.status).toBe(200);
    expect(read.rows).toEqual([
      expect.objectContaining({ sub: 'al-officer', name: '李办案', roles: ['officer', 'supervisor'], authority: 'binhai-jw', event: 'CASE_ACCESSED', operation: 'getCase', case_id: caseId, status: 200, address: expect.stringMatching(/127\.0\.0\.1|::1/) }),
    ]);
    expect(read.rows[0]!.detail).toEqual({ source: 'caseView' });
    expect(Math.abs(new Date(read.rows[0]!.at).getTime() - Date.now())).toBeLessThan(60_000);

    // Recused (403 on its documents), another authority's (404), a malformed id (400): each is logged too.
    const recused = await logged(() => request(stack.app).get(`/v1/cases/${caseId}/documents`).set(auth(t.recused)));
    expect([recused.res.status, recused.rows.map((r) => [r.sub, r.event, r.case_id, r.status])]).toEqual([403, [['al-recused', 'DOCUMENTS_LISTED', caseId, 403]]]);
    const elsewhere = await logged(() => request(stack.app).get(`/v1/cases/${caseId}`).set(auth(t.other)));
    expect([elsewhere.res.status, elsewhere.rows.map((r) => [r.sub, r.authority, r.case_id, r.status])]).toEqual([404, [['al-hz', 'hz-jyj', caseId, 404]]]);
    const malformed = await logged(() => request(stack.app).get('/v1/cases/not-a-case').set(auth(t.officer)));
    expect(malformed.rows.map((r) => [r.operation, r.case_id, r.status])).toEqual([['getCase', null, malformed.res.status]]);
  });

  it('of the case list, the documents and a document, the notes, and a step’s outcome', async () => {
    expect((await logged(() => request(stack.app).get('/v1/cases').set(auth(t.officer)))).rows.map((r) => [r.event, r.case_id, r.status])).toEqual([['CASE_LIST_VIEWED', null, 200]]);
    expect((await logged(() => request(stack.app).get(`/v1/cases/${caseId}/documents`).set(auth(t.officer)))).rows.map((r) => [r.event, r.case_id, r.status])).toEqual([['DOCUMENTS_LISTED', caseId, 200]]);
    await request(stack.app).post(`/v1/cases/${caseId}/notes`).set(auth(t.officer)).send({ text: '内部备注' }).expect(201);
    expect((await logged(() => request(stack.app).get(`/v1/cases/${caseId}/notes`).set(auth(t.auditor)))).rows.map((r) => [r.event, r.sub, r.status])).toEqual([['NOTES_ACCESSED', 'al-auditor', 200]]);
    const step = await logged(() => request(stack.app).get(`/v1/cases/${caseId}/steps/step-00000000-0000-4000-8000-000000000000`).set(auth(t.officer)));
    expect(step.rows.map((r) => [r.operation, r.case_id, r.status])).toEqual([['getStepOutcome', caseId, 404]]);
    const missing = '00000000-0000-4000-8000-000000000000';
    const document = await logged(() => request(stack.app).get(`/v1/documents/${missing}`).set(auth(t.officer)));
    expect(document.rows.map((r) => [r.event, r.document_id, r.status])).toEqual([['DOCUMENT_ACCESSED', missing, 404]]);
  });

  it('of its payloads through the codec, one record per case, refused or decoded', async () => {
    const history = await stack.env.client.workflow.getHandle(caseId).fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]! as Payload;
    const payload = {
      metadata: Object.fromEntries(Object.entries(input.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')])),
      data: Buffer.from(input.data ?? []).toString('base64'),
    };
    const decoded = await logged(() => request(stack.app).post('/codec/decode').set(auth(t.auditor)).send({ payloads: [payload, payload] }));
    expect(decoded.res.status).toBe(200);
    expect(decoded.rows.map((r) => [r.event, r.operation, r.sub, r.case_id, r.status, r.detail])).toEqual([['PAYLOADS_DECODED', 'decodePayloads', 'al-auditor', caseId, 200, { payloads: 2 }]]);
    const refused = await logged(() => request(stack.app).post('/codec/decode').set(auth(t.recused)).send({ payloads: [payload] }));
    expect(refused.rows.map((r) => [r.sub, r.case_id, r.status])).toEqual([['al-recused', caseId, 403]]);
  });
});

describe('the access log of a case', () => {
  it('is for the authority’s auditors, newest first, and exports as CSV', async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}/access-log`).set(auth(t.auditor)).expect(200);
    const records = res.body.records as { seq: number; sub: string; event: string; status: number; hash: string; prevHash: string }[];
    expect(records.length).toBeGreaterThan(5);
    expect(records.map((r) => r.seq)).toEqual([...records.map((r) => r.seq)].sort((a, b) => b - a));
    expect(records.some((r) => r.sub === 'al-hz' && r.status === 404)).toBe(true);
    // Reading the log is in the log.
    const next = await request(stack.app).get(`/v1/cases/${caseId}/access-log`).query({ limit: 1 }).set(auth(t.auditor)).expect(200);
    expect(next.body.records[0]).toMatchObject({ event: 'ACCESS_LOG_VIEWED', sub: 'al-auditor', operation: 'listCaseAccess' });
    expect(next.body.nextBefore).toBe(next.body.records[0].seq);
    const page = await request(stack.app).get(`/v1/cases/${caseId}/access-log`).query({ limit: 1, before: next.body.nextBefore }).set(auth(t.auditor)).expect(200);
    expect(page.body.records[0].seq).toBeLessThan(next.body.records[0].seq);

    const csv = await request(stack.app).get(`/v1/cases/${caseId}/access-log`).set(auth(t.auditor)).set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('seq,at,sub,name,roles,authority,event,operation,caseId,documentId,address,userAgent,status,detail,prevHash,hash');
    expect(lines.length).toBeGreaterThan(records.length);
    expect(lines.some((l) => l.includes('"al-hz"') && l.includes('"404"'))).toBe(true);

    // Officers and recused auditors do not read it; another authority does not find the case.
    expect((await request(stack.app).get(`/v1/cases/${caseId}/access-log`).set(auth(t.officer))).status).toBe(403);
    expect((await request(stack.app).get(`/v1/cases/${caseId}/access-log`).set(auth(t.recused))).status).toBe(403);
    expect((await request(stack.app).get(`/v1/cases/${caseId}/access-log`).set(auth(t.other))).status).toBe(404);
  });

  it('verifies as an unbroken chain', async () => {
    const verified = await verifyAccessLog(stack.db);
    expect(verified).toMatchObject({ intact: true });
    expect(verified.intact && verified.records).toBeGreaterThan(10);
  });
});

describe('when the access log cannot be written', () => {
  it('refuses the read (503) rather than serve it unlogged, and serves it again once the log is back', async () => {
    // The log's table away, as a broken archive would have it: the case itself still reads.
    await stack.db.query('alter table access_log rename to access_log_away');
    try {
      const refused = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(t.officer));
      expect([refused.status, refused.body.code, refused.headers['retry-after']]).toEqual([503, 'access_log_unavailable', '5']);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      // Nothing of the case went out.
      expect(refused.text).not.toContain('老旧小区');
      expect(refused.text).not.toContain('王某');
      const document = await request(stack.app).get(`/v1/cases/${caseId}/documents`).set(auth(t.officer));
      expect(document.status).toBe(503);
    } finally {
      await stack.db.query('alter table access_log_away rename to access_log');
    }
    const before = await lastSeq();
    await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(t.officer)).expect(200);
    expect((await rowsAfter(before)).map((r) => [r.operation, r.case_id])).toEqual([['getCase', caseId]]);
    expect(await verifyAccessLog(stack.db)).toMatchObject({ intact: true });
  });
});
