/**
 * Input that breaks nothing, on the real stack: every malformed request
 * (charsets, content encodings, broken gzip, broken percent-encoding, control
 * characters, dates at the edges of the calendar, numbers in hex, huge arrays,
 * names hidden in the matter) answers 4xx application/problem+json naming what
 * is wrong; case data is never cached; /metrics and the docs show only what
 * they must; and failed sign-ins are limited per client address.
 */
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import type { AppDeps } from '../../api/app';
import { beijingDate } from '../../domain/calendar';
import { eventually } from '../support/eventually';
import { appOverStack, startStack, type Stack } from '../support/stack';

let stack: Stack;
let token: string;
let caseId: string;
const today = beijingDate(Date.now());
const tomorrow = beijingDate(Date.now() + 86_400_000);
const opening = {
  jurisdiction: 'binhai',
  subject: { name: '王某', organisation: '某街道党工委' },
  matter: '改革试点中的程序瑕疵',
  accountability: { reference: '滨纪问〔2026〕5号' },
  eventDate: today,
};

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'officer-5', name: '李办案' });
  caseId = (await request(stack.app).post('/v1/cases').set('Authorization', `Bearer ${token}`).send(opening).expect(201)).body.id;
  await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${token}`);
    expect(res.body.availableActions.map((a: { name: string }) => a.name)).toContain('fileApplication');
  });
});
afterAll(() => stack?.stop());

const appWith = (overrides: Partial<AppDeps>) => appOverStack(stack, overrides);

/** A 4xx in the problem shape, whose status and code are these; answers the field names it lists. */
function expectProblem(res: request.Response, status: number, code?: string): string[] {
  expect(`${res.status} ${res.body?.code}`).toBe(`${status} ${code ?? res.body?.code}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  return (res.body.errors ?? []).map((e: { field: string }) => e.field);
}

const post = (path: string) => request(stack.app).post(path).set('Authorization', `Bearer ${token}`);
/** Bytes sent as they are: superagent would otherwise serialise a Buffer as JSON. */
const raw = (path: string, headers: Record<string, string>, bytes: Buffer | string) =>
  post(path)
    .set(headers)
    .serialize((b: unknown) => b as string)
    .send(bytes as unknown as string);
const json = JSON.stringify(opening);

describe('bodies', () => {
  it('must be UTF-8 JSON: another charset answers 415', async () => {
    for (const charset of ['utf-16', 'latin1', 'x-unknown']) {
      const res = await raw('/v1/cases', { 'Content-Type': `application/json; charset=${charset}` }, json);
      expectProblem(res, 415, 'unsupported_charset');
    }
    expectProblem(await raw('/v1/cases', { 'Content-Type': 'text/plain' }, json), 415, 'unsupported_media_type');
  });

  it('may be gzipped, but an unknown content encoding answers 415 and a body claiming gzip that is not answers 400', async () => {
    const encoded = (encoding: string) => ({ 'Content-Type': 'application/json', 'Content-Encoding': encoding });
    const gzipped = await raw('/v1/cases', encoded('gzip'), gzipSync(json));
    expect([gzipped.status, gzipped.body]).toEqual([201, { id: expect.any(String) }]);
    expectProblem(await raw('/v1/cases', encoded('compress'), json), 415, 'unsupported_content_encoding');
    expectProblem(await raw('/v1/cases', encoded('gzip'), json), 400, 'malformed_body');
    expectProblem(await raw('/v1/cases', encoded('gzip'), gzipSync(json).subarray(0, 20)), 400);
  });

  it('answer NUL and other control characters in any text field with 400 naming the field', async () => {
    const bad = { ...opening, subject: { ...opening.subject, organisation: '某街道\u0000党工委' }, accountability: { reference: '滨纪问\u001b〔2026〕5号' } };
    expect(expectProblem(await post('/v1/cases').send(bad), 400)).toEqual(['body.subject.organisation', 'body.accountability.reference']);
    const step = await post(`/v1/cases/${caseId}/actions/fileApplication`).send({ filedBy: 'subject', receivedOn: today, summary: '申请\u0007容错' });
    expect(expectProblem(step, 400)).toEqual(['body.summary']);
    const lone = await post(`/v1/cases/${caseId}/actions/recordRecusal`).send({ person: { name: '赵\ud800' }, reason: '亲属' });
    expect(expectProblem(lone, 400)).toEqual(['body.person.name']);
  });

  it.each([
    ['year 9999', '9999-01-04'],
    ['year 0099', '0099-01-04'],
    ['before the calendar the product knows', '2003-12-31'],
    ['in the future', tomorrow],
    ['not a day', '2026-02-30'],
  ])('answer an eventDate %s with 400 naming it', async (_label, eventDate) => {
    expect(expectProblem(await post('/v1/cases').send({ ...opening, eventDate }), 400)).toEqual(['body.eventDate']);
  });

  it('answer a step date at the edges of the calendar with 400 naming it', async () => {
    for (const receivedOn of ['9999-12-31', '0099-01-01', '2101-01-03']) {
      const res = await post(`/v1/cases/${caseId}/actions/fileApplication`).send({ filedBy: 'subject', receivedOn, summary: '申请' });
      expect(expectProblem(res, 400)).toEqual(['body.receivedOn']);
    }
  });

  it('answer an oversized array, or one full of wrong items, with a short list of errors, not megabytes', async () => {
    const oversized = await post(`/v1/cases/${caseId}/actions/appointInvestigationGroup`).send({ appointedOn: today, members: Array.from({ length: 5000 }, () => ({ name: 42 })) });
    expect(expectProblem(oversized, 400)).toEqual(['body.members']);
    const items = Array.from({ length: 50 }, () => ({ id: 4, description: [], owner: {}, dueOn: 7 }));
    const wrong = await post(`/v1/cases/${caseId}/actions/issueCorrectionList`).send({ items });
    expect(expectProblem(wrong, 400)).toHaveLength(20);
    expect(wrong.body.moreErrors).toBe(50 * 4 - 20);
    expect(wrong.text.length).toBeLessThan(10_000);
  });

  it.each([
    ['a full-width ID number', '王某', '涉及１１０１０１１９９００１０１１２３４的审批'],
    ['an ID number with spaces', '王某', '涉及 110101 19900101 1234 的审批'],
    ['the name with a zero-width space', '王某', '王\u200b某在审批中的瑕疵'],
    ['the name with a bidi control', '王某', '王\u202e某在审批中的瑕疵'],
    ['the name spaced out', '王某', '王　某在审批中的瑕疵'],
    ['the name in full-width letters', 'Li Ming', 'Ｌｉ　Ｍｉｎｇ在审批中的瑕疵'],
  ])('keep %s out of the matter, answering 400 naming it', async (_label, name, matter) => {
    expect(expectProblem(await post('/v1/cases').send({ ...opening, subject: { ...opening.subject, name }, matter }), 400)).toEqual(['body.matter']);
  });
});

describe('paths and queries', () => {
  it.each([
    '/v1/cases/%E0%A4%A',
    '/v1/cases/%',
    `/v1/cases/${caseId ?? 'case-binhai-2026-0001'}%zz/documents`,
    '/v1/documents/%ff%fe',
    '/v1/rulebooks/%c0%ae%c0%ae',
    '/v1/cases/case-binhai-2026-0001/steps/%00',
    '/%',
    '/docs/assets/%',
  ])('answer malformed percent-encoding in %s with 400 or 404, as a problem', async (path) => {
    const res = await request(stack.app).get(path).set('Authorization', `Bearer ${token}`);
    expect([400, 404]).toContain(res.status);
    expectProblem(res, res.status);
  });

  it('answer numbers written in hex, or as exponents, with 400 naming them', async () => {
    const get = (path: string) => request(stack.app).get(path).set('Authorization', `Bearer ${token}`);
    expect(expectProblem(await get('/v1/cases?pageSize=0x10'), 400)).toEqual(['query.pageSize']);
    expect(expectProblem(await get('/v1/inbox?limit=1e2'), 400)).toEqual(['query.limit']);
    const year = await request(stack.app).put('/v1/calendar/years/0x7e9').set('Authorization', `Bearer ${await stack.token({ roles: ['system-admin'], authority: 'binhai-jw' })}`).send({ source: '国办发明电（测试）', holidays: [], makeUpWorkdays: [] });
    expect(expectProblem(year, 400)).toContain('params.year');
  });
});

describe('answers', () => {
  it('with case data are never cached', async () => {
    for (const path of [`/v1/cases/${caseId}`, '/v1/cases', `/v1/cases/${caseId}/documents`, '/v1/inbox']) {
      const res = await request(stack.app).get(path).set('Authorization', `Bearer ${token}`).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const refused = await request(stack.app).get(`/v1/cases/${caseId}`);
    expect(refused.headers['cache-control']).toBe('no-store');
  });
});

describe('operations endpoints', () => {
  it('keep /metrics closed on an API others can reach until METRICS_TOKEN is set', async () => {
    expectProblem(await request(appWith({ metricsOpen: false })).get('/metrics'), 401, 'unauthenticated');
    expect((await request(stack.app).get('/metrics')).status).toBe(200);
  });

  it('serve /metrics only with METRICS_TOKEN where it is set', async () => {
    const app = appWith({ metricsToken: 'metrics-token-metrics-token-metrics-token' });
    expectProblem(await request(app).get('/metrics'), 401, 'unauthenticated');
    expectProblem(await request(app).get('/metrics').set('Authorization', `Bearer ${token}`), 401, 'unauthenticated');
    const ok = await request(app).get('/metrics').set('Authorization', 'Bearer metrics-token-metrics-token-metrics-token');
    expect([ok.status, ok.text]).toEqual([200, expect.stringContaining('http_requests_total')]);
  });

  it('serve of the docs package only the two files the page loads', async () => {
    expect((await request(stack.app).get('/docs/assets/swagger-ui.css')).status).toBe(200);
    for (const path of ['/docs/assets/package.json', '/docs/assets/index.html', '/docs/assets/swagger-ui-bundle.js.map', '/docs/assets/../package.json']) {
      expectProblem(await request(stack.app).get(path), 404, 'not_found');
    }
  });
});

describe('failed sign-ins', () => {
  it('are limited per client address: after the limit, the address gets 429 with Retry-After', async () => {
    const app = appWith({ authFailuresPerMinute: 3 });
    for (let i = 0; i < 3; i += 1) expectProblem(await request(app).get('/v1/cases').set('Authorization', 'Bearer not.a.token'), 401, 'unauthenticated');
    const limited = await request(app).get('/v1/cases').set('Authorization', 'Bearer not.a.token');
    expectProblem(limited, 429, 'too_many_failed_sign_ins');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Good sign-ins never count: another app with the same limit serves a good token however often.
    const fresh = appWith({ authFailuresPerMinute: 3 });
    for (let i = 0; i < 5; i += 1) expect((await request(fresh).get('/v1/rulebooks').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });
});
