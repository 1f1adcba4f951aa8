/**
 * The API's contract and hardening on the real stack: every action's body is
 * validated field by field, the OpenAPI document is valid 3.1, Temporal being
 * down answers 503, writes are rate limited per user, CORS is off unless
 * configured, metrics count requests by route, and the request log names the
 * user and case but never the token.
 */
import { Writable } from 'node:stream';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { createApp, type AppDeps } from '../../api/app';
import { createVerifier } from '../../api/auth';
import { actionBodies } from '../../api/case-actions';
import { beijingDate } from '../../domain/calendar';
import { signDevToken } from '../../scripts/token';
import { eventually } from '../support/eventually';
import { testMatterIndex } from '../support/keys';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseId: string;
let token: string;
const secret = new TextEncoder().encode('test-secret-test-secret-test-secret-0123456789');

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'officer-1', name: '李办案' });
  const created = await request(stack.app)
    .post('/v1/cases')
    .set('Authorization', `Bearer ${token}`)
    .send({ jurisdiction: 'binhai', subject: { name: '王某', organisation: '某街道' }, matter: '试点中的程序瑕疵', accountability: { reference: '问1号' }, eventDate: beijingDate(Date.now()) });
  caseId = created.body.id;
  await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${token}`);
    expect(res.body.stage).toBe('application');
  });
});
afterAll(() => stack?.stop());

function appWith(overrides: Partial<AppDeps>) {
  return createApp({
    client: stack.env.client,
    db: stack.db,
    verifyToken: createVerifier({ kind: 'secret', secret }),
    taskQueue: stack.taskQueue,
    namespace: stack.env.namespace ?? 'default',
    baseUrl: 'http://rongcuo.test',
    logger: pino({ level: 'silent' }),
    matterIndex: testMatterIndex,
    ...overrides,
  });
}

/** A value of the wrong type for a field: a number where an object is wanted, an object anywhere else. */
const wrongValue = (schema: z.ZodType) => {
  const inner = (schema as { unwrap?: () => z.ZodType }).unwrap?.() ?? schema;
  // An object or a record (a map of named parts) is wrong as a number; anything else as an object.
  return inner instanceof z.ZodObject || inner instanceof z.ZodRecord || (inner as { def?: { type?: string } }).def?.type === 'pipe' ? 42 : { wrong: true };
};

describe('validation of every action body', () => {
  const cases = Object.entries(actionBodies).flatMap(([action, schema]) =>
    Object.entries((schema as z.ZodObject).shape).map(([field, fieldSchema]) => ({ action, field, fieldSchema: fieldSchema as z.ZodType })),
  );

  it.each(cases)('$action: $field missing (when required) or of the wrong type answers 400 naming it', async ({ action, field, fieldSchema }) => {
    const url = `/v1/cases/${caseId}/actions/${action}`;
    if (!fieldSchema.safeParse(undefined).success) {
      const missing = await request(stack.app).post(url).set('Authorization', `Bearer ${token}`).send({});
      expect(missing.status).toBe(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain(`body.${field}`);
    }
    const wrong = await request(stack.app).post(url).set('Authorization', `Bearer ${token}`).send({ [field]: wrongValue(fieldSchema) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field)).toContain(`body.${field}`);
  });
});

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1', async () => {
    const document = (await request(stack.app).get('/openapi.json')).body;
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });
});

describe('hardening', () => {
  it('answers 503 in the problem shape when Temporal is down, reads the case from its view all the same, and /readyz says so', async () => {
    const connection = await Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
    const app = appWith({ client: new Client({ connection }) });
    // Each waits out its own bound on Temporal; asked together, the test waits for the longest only.
    const [read, res, ready] = await Promise.all([
      request(app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${token}`),
      request(app).get('/v1/cases').set('Authorization', `Bearer ${token}`),
      request(app).get('/readyz'),
    ]);
    // A read needs no Temporal: the case's view in the archive answers, and says it is the view.
    expect([read.status, read.body.freshness?.source]).toEqual([200, 'caseView']);
    // What it is retrying is Temporal's to say: unknown, not none.
    expect(read.body.pendingEffects).toBeNull();
    // A list does: visibility is Temporal's.
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('temporal_unavailable');
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|Error:|at /);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ temporal: 'unavailable', database: 'ok' });
  });

  it('refuses an oversized body with 413', async () => {
    const res = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${token}`)
      .send({ matter: 'x'.repeat(200_000) });
    expect([res.status, res.body.code]).toEqual([413, 'body_too_large']);
  });

  it('limits each user’s writes per minute', async () => {
    const app = appWith({ writesPerMinute: 2 });
    const send = () => request(app).post(`/v1/cases/${caseId}/actions/recordRecusal`).set('Authorization', `Bearer ${token}`).send({});
    expect((await send()).status).toBe(400);
    expect((await send()).status).toBe(400);
    const limited = await send();
    expect([limited.status, limited.body.code]).toEqual([429, 'rate_limited']);
    const other = await signDevToken(secret, { sub: 'officer-2', name: '另一人', roles: ['officer'], authority: 'binhai-jw' });
    expect((await request(app).post(`/v1/cases/${caseId}/actions/recordRecusal`).set('Authorization', `Bearer ${other}`).send({})).status).toBe(400);
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const closed = await request(stack.app).get('/healthz').set('Origin', 'https://portal.example');
    expect(closed.headers['access-control-allow-origin']).toBeUndefined();
    const open = await request(appWith({ corsOrigins: ['https://portal.example'] })).get('/healthz').set('Origin', 'https://portal.example');
    expect(open.headers['access-control-allow-origin']).toBe('https://portal.example');
  });

  it('counts requests in /metrics by route template and status', async () => {
    await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${token}`).expect(200);
    const metrics = await request(stack.app).get('/metrics');
    expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="\/v1\/cases\/\{id\}",status="200"\} \d+/);
    expect(metrics.text).toContain('http_request_duration_seconds_bucket');
  });

  it('logs one line per request with the user and the case, never the token', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const app = appWith({ logger: pino({ level: 'info' }, sink) });
    await request(app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ user: 'officer-1', caseId, res: { statusCode: 200 } });
    expect(lines[0]).not.toContain(token);
  });
});
