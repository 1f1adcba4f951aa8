/**
 * The codec endpoint decodes only what its caller may read, and no request
 * brings it down (issue 26). On the dev server, with a Binhai case opened
 * over HTTP: its payloads decode for an auditor of binhai-jw, and for no
 * auditor or admin of another authority, configured or not, nor for one the
 * case recorded as recused; payloads of no case are the system
 * administrator's. A decode bomb (3 MB of zeros sealed into a few KB, 200
 * times) answers 413 at once, the process stays small and goes on serving.
 */
import { Writable } from 'node:stream';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createVerifier } from '../../api/auth';
import { MAX_DECODE_PAYLOADS, MAX_DECODE_PLAIN_BYTES, MAX_PAYLOAD_PLAIN_BYTES } from '../../api/routes/codec';
import { beijingDate } from '../../domain/calendar';
import { PayloadEncryptionCodec } from '../../services/codec/codec';
import { eventually } from '../support/eventually';
import { testMatterIndex, testPayloadKeys } from '../support/keys';
import { STACK_TOKEN_SECRET, startStack, type Stack } from '../support/stack';

const SUBJECT = { name: '欧阳明远', organisation: '青松街道党工委' };
const TODAY = beijingDate(Date.now());

let stack: Stack;
let app: ReturnType<typeof createApp>;
let caseId: string;
let startInput: ReturnType<typeof asJson>;
const logged: string[] = [];
const codec = new PayloadEncryptionCodec(testPayloadKeys);

const asJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const sealedFor = async (value: unknown, workflowId?: string) =>
  asJson((await codec.encode([defaultPayloadConverter.toPayload(value)!], workflowId ? { type: 'workflow', namespace: 'default', workflowId } : undefined))[0]!);
const token = (roles: string[], authority: string, sub = `${roles[0]}-${authority}`) => stack.token({ roles, authority, sub, name: '测试用户' });
const decode = (bearer: string, payloads: unknown[]) => request(app).post('/codec/decode').set('Authorization', `Bearer ${bearer}`).send({ payloads });

beforeAll(async () => {
  stack = await startStack();
  app = createApp({
    client: stack.env.client,
    db: stack.db,
    verifyToken: createVerifier({ kind: 'secret', secret: STACK_TOKEN_SECRET }),
    taskQueue: stack.taskQueue,
    namespace: stack.env.namespace ?? 'default',
    baseUrl: 'http://rongcuo.test',
    logger: pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => (logged.push(String(chunk)), done()) })),
    matterIndex: testMatterIndex,
    authFailuresPerMinute: 100_000,
    writesPerMinute: 100_000,
  });
  const officer = await token(['officer', 'supervisor'], 'binhai-jw', 'officer-1');
  const created = await request(stack.app)
    .post('/v1/cases')
    .set('Authorization', `Bearer ${officer}`)
    .send({ jurisdiction: 'binhai', subject: SUBJECT, matter: '加装电梯项目为赶工期先行开工', accountability: { reference: '滨纪问〔2026〕90号' }, eventDate: TODAY })
    .expect(201);
  caseId = created.body.id;
  // One auditor of the authority is recused from this case, by account.
  await request(stack.app)
    .post(`/v1/cases/${caseId}/actions/recordRecusal`)
    .set('Authorization', `Bearer ${officer}`)
    .send({ person: { sub: 'auditor-recused', name: '钱审计' }, reason: '与被调查对象有亲属关系' })
    .expect(200);
  const history = await stack.env.client.workflow.getHandle(caseId).fetchHistory();
  startInput = asJson(history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!);
});
afterAll(() => stack?.stop());

const subjectIn = (res: request.Response) => JSON.parse(Buffer.from(res.body.payloads[0].data, 'base64').toString()).subject;

describe('who the codec decodes a case’s payloads for', () => {
  it('an auditor or admin of the case’s authority', async () => {
    for (const roles of [['auditor'], ['admin']]) {
      const res = await decode(await token(roles, 'binhai-jw'), [startInput]).expect(200);
      expect(subjectIn(res)).toMatchObject(SUBJECT);
    }
  });

  it('no auditor or admin of another authority, configured or not', async () => {
    for (const [roles, authority] of [
      [['auditor'], 'yinchuan-jw'],
      [['admin'], 'hz-jyj'],
      [['admin', 'auditor'], 'nowhere-jw'],
    ] as const) {
      const res = await decode(await token([...roles], authority), [startInput]);
      expect([res.status, res.body.code, res.body.errors]).toEqual([403, 'codec_forbidden', [{ field: 'body.payloads.0', message: 'belongs to a case you may not read' }]]);
      expect(JSON.stringify(res.body)).not.toContain(SUBJECT.name);
    }
  });

  it('no one recused from the case, while the other auditors of the authority still read it', async () => {
    const recused = await decode(await token(['auditor'], 'binhai-jw', 'auditor-recused'), [startInput]);
    expect([recused.status, recused.body.code]).toEqual([403, 'codec_forbidden']);
    await decode(await token(['auditor'], 'binhai-jw', 'auditor-other'), [startInput]).expect(200);
  });

  it('not the system administrator, whose are the payloads of no case; nor anyone for a payload relabelled as another case’s', async () => {
    const systemAdmin = await token(['system-admin'], 'binhai-jw');
    expect((await decode(systemAdmin, [startInput])).status).toBe(403);
    const calendar = await sealedFor({ year: 2027 }, 'calendar-propagation-2027');
    await decode(systemAdmin, [calendar]).expect(200);
    expect((await decode(await token(['auditor'], 'binhai-jw'), [calendar])).status).toBe(403);
    // Relabelled as a case the caller may read, another's payload does not open: the case it was sealed for is in its associated data.
    const other = await sealedFor({ subject: SUBJECT }, 'case-yinchuan-2026-0001');
    const moved = { ...other, metadata: { ...other.metadata, 'encryption-workflow-id': Buffer.from(caseId).toString('base64') } };
    const res = await decode(await token(['auditor'], 'binhai-jw'), [moved]);
    expect([res.status, res.body.code]).toEqual([400, 'undecodable_payload']);
  });

  it('a payload sealed before payloads named their case: by the case its content names, else the system administrator’s', async () => {
    const legacy = await sealedFor({ caseId, subject: SUBJECT });
    expect(legacy.metadata['encryption-workflow-id']).toBeUndefined();
    await decode(await token(['auditor'], 'binhai-jw'), [legacy]).expect(200);
    expect((await decode(await token(['auditor'], 'yinchuan-jw'), [legacy])).status).toBe(403);
    const nameless = await sealedFor({ note: SUBJECT.name });
    expect((await decode(await token(['auditor'], 'binhai-jw'), [nameless])).status).toBe(403);
    await decode(await token(['system-admin'], 'binhai-jw'), [nameless]).expect(200);
  });
});

describe('a decode bomb', () => {
  const zeros = async (bytes: number) =>
    asJson((await codec.encode([{ metadata: { encoding: Buffer.from('binary/plain') }, data: new Uint8Array(bytes) }], { type: 'workflow', namespace: 'default', workflowId: caseId }))[0]!);

  it('answers 413 at once, without taking the memory, and the endpoint goes on serving', async () => {
    const admin = await token(['admin'], 'binhai-jw');
    const bomb = await zeros(3 * 1024 * 1024);
    expect(Buffer.from(bomb.data, 'base64').length).toBeLessThan(8 * 1024);
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const res = await decode(admin, Array.from({ length: 200 }, () => bomb));
    expect([res.status, res.headers['content-type']]).toEqual([413, expect.stringMatching(/^application\/problem\+json/)]);
    // 200 payloads are more than a request may carry; 6 of them more than a request may inflate to (16 MiB), the sixth refused.
    expect(res.body).toMatchObject({ code: 'payload_too_large', errors: [{ field: 'body.payloads' }] });
    expect(MAX_DECODE_PLAIN_BYTES).toBe(16 * 1024 * 1024);
    const six = await decode(admin, Array.from({ length: 6 }, () => bomb));
    expect([six.status, six.body.errors]).toEqual([413, [{ field: 'body.payloads.5', message: expect.stringContaining('together') }]]);
    const one = await decode(admin, [await zeros(MAX_PAYLOAD_PLAIN_BYTES + 1)]);
    expect([one.status, one.body.errors]).toEqual([413, [{ field: 'body.payloads.0', message: expect.stringContaining(`beyond ${MAX_PAYLOAD_PLAIN_BYTES} bytes`) }]]);
    expect(Date.now() - started).toBeLessThan(20_000);
    // Today's main inflated every copy at once: 600 MB of zeros, then their base64, and ran out of memory.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);

    await eventually(async () => expect(subjectIn(await decode(admin, [startInput]).expect(200))).toMatchObject(SUBJECT));
    expect((await decode(admin, Array.from({ length: MAX_DECODE_PAYLOADS + 1 }, () => startInput))).status).toBe(413);
    expect((await decode(admin, Array.from({ length: 4 }, () => bomb))).status).toBe(200);
  });
});
