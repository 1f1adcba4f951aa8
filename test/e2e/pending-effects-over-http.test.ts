/**
 * A fault that passes is retried, and visible while it lasts: the case shows
 * which effect it is retrying, how often it has tried and why the last try
 * failed, instead of just looking slow.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { webhookChannel } from '../../services/notices/webhook';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let refusing: http.Server;

beforeAll(async () => {
  // The authority's own system is down: every notice posted to it is answered 503.
  refusing = http.createServer((_req, res) => res.writeHead(503).end());
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/notices`;
  stack = await startStack({ notices: { channels: [webhookChannel({ url, secret: 'webhook-secret-webhook-secret-0123456789' })], maxAttempts: 50 } });
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => refusing?.close(resolve));
});

it('shows a notice it keeps retrying with its attempt count and last failure', async () => {
  const officer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'yangjiang-jw', sub: 'yj-2', name: '林办案' });
  const auth = { Authorization: `Bearer ${officer}` };
  const today = beijingDate(Date.now());
  const created = await request(stack.app)
    .post('/v1/cases')
    .set(auth)
    .send({ jurisdiction: 'yangjiang', route: 'application', level: 'county', subject: { name: '陈某', organisation: '某镇政府' }, matter: '征地补偿中的程序问题', accountability: { reference: '阳纪问〔2026〕4号' }, eventDate: today })
    .expect(201);
  const id: string = created.body.id;
  await request(stack.app).post(`/v1/cases/${id}/actions/fileApplication`).set(auth).set('Idempotency-Key', 'apply').send({ filedBy: 'subject', receivedOn: today, summary: '书面申诉' }).expect(200);
  await request(stack.app).post(`/v1/cases/${id}/actions/decideAcceptance`).set(auth).set('Idempotency-Key', 'accept').send({ accepted: true, decidedOn: today }).expect(200);

  const retrying = await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${id}`).set(auth).expect(200);
    const notify = res.body.pendingEffects.find((e: { activity: string }) => e.activity === 'notify');
    expect(notify?.attempt).toBeGreaterThanOrEqual(2);
    return notify;
  }, 60_000);
  expect(retrying.lastFailure).toContain('not yet delivered');
  expect(retrying.lastFailure).toContain('503');
  await stack.env.client.workflow.getHandle(id).terminate('test done');
});
