/**
 * Steps over HTTP that a client can retry: with an Idempotency-Key a step is
 * applied once and a retry answers as the first did; a step is waited on for
 * a bounded time, never for ever; an outage answers 503 with Retry-After; and
 * a case id names one case for ever.
 */
import pino from 'pino';
import { Pool } from 'pg';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createVerifier } from '../../api/auth';
import { beijingDate } from '../../domain/calendar';
import { stepUpdateId } from '../../services/cases/idempotency';
import { stepOutcome, takeStep } from '../../services/cases/steps';
import type { Db } from '../../store/db';
import { createCaseWorker } from '../../worker/worker';
import { eventually } from '../support/eventually';
import { testDataConverter, testMatterIndex } from '../support/keys';
import { startStack, type Stack } from '../support/stack';
import { uniqueTaskQueue, workflowBundle } from '../support/temporal';
import { findCaseView } from '../../store/case-views';

let stack: Stack;
let officer: string;
const AUTHORITY = 'binhai-jw';
const secret = new TextEncoder().encode('test-secret-test-secret-test-secret-0123456789');

beforeAll(async () => {
  stack = await startStack();
  officer = await stack.token({ roles: ['officer', 'supervisor'], authority: AUTHORITY, sub: 'officer-7', name: '李办案' });
});
afterAll(() => stack?.stop());

const openBody = () => ({
  jurisdiction: 'binhai',
  subject: { name: '王某', organisation: '某街道党工委' },
  matter: '改革试点中的程序瑕疵',
  accountability: { reference: '滨纪问〔2026〕7号' },
  eventDate: beijingDate(Date.now()),
});

async function openCase(app = stack.app, key?: string): Promise<string> {
  let req = request(app).post('/v1/cases').set('Authorization', `Bearer ${officer}`);
  if (key) req = req.set('Idempotency-Key', key);
  const res = await req.send(openBody()).expect(201);
  return res.body.id as string;
}

const recusal = (name: string) => ({ person: { name }, reason: '与被调查对象有亲属关系' });

function step(caseId: string, action: string, body: unknown, key?: string) {
  let req = request(stack.app).post(`/v1/cases/${caseId}/actions/${action}`).set('Authorization', `Bearer ${officer}`);
  if (key) req = req.set('Idempotency-Key', key);
  return req.send(body as object);
}

describe('a step retried with the same Idempotency-Key', () => {
  it('is applied once, and the retry answers as the first did', async () => {
    const caseId = await openCase();
    const first = await step(caseId, 'recordRecusal', recusal('赵某'), 'recusal-1');
    const retry = await step(caseId, 'recordRecusal', recusal('赵某'), 'recusal-1');
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body.recusals).toEqual(first.body.recusals);
    const now = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(now.body.recusals.map((r: { person: { name: string } }) => r.person.name)).toEqual(['赵某']);
    // Another key is another step: the same person recorded twice is what that asks for.
    await step(caseId, 'recordRecusal', recusal('赵某'), 'recusal-2').expect(200);
    const after = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(after.body.recusals).toHaveLength(2);
  });

  it('answers as the first did when that step closed the case, while any other step on it is refused', async () => {
    const caseId = await openCase();
    const withdrawal = { reason: '问责程序已终止' };
    const first = await step(caseId, 'withdrawCase', withdrawal, 'withdraw-1');
    expect([first.status, first.body.closed]).toEqual([200, true]);
    // Its answer lost on the way back, the client sends it again; the case may have completed meanwhile.
    await eventually(async () => expect((await stack.env.client.workflow.getHandle(caseId).describe()).status.name).toBe('COMPLETED'), 60_000);
    const retry = await step(caseId, 'withdrawCase', withdrawal, 'withdraw-1');
    expect([retry.status, retry.body.closed]).toEqual([200, true]);
    expect(retry.body.timeline.filter((e: { event: string }) => e.event === first.body.timeline.at(-1).event)).toHaveLength(1);
    const again = await step(caseId, 'withdrawCase', withdrawal, 'withdraw-2');
    expect([again.status, again.body.code]).toEqual([409, 'case_closed']);
    const other = await step(caseId, 'recordRecusal', recusal('陈某'), 'withdraw-1');
    expect([other.status, other.body.code]).toEqual([409, 'case_closed']);
  });

  it('answers 409 when the key was used for another body, and changes nothing', async () => {
    const caseId = await openCase();
    await step(caseId, 'recordRecusal', recusal('钱某'), 'recusal-3').expect(200);
    const reused = await step(caseId, 'recordRecusal', recusal('孙某'), 'recusal-3');
    expect([reused.status, reused.body.code]).toEqual([409, 'idempotency_key_reused']);
    const now = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(now.body.recusals.map((r: { person: { name: string } }) => r.person.name)).toEqual(['钱某']);
  });

  it('refuses a key longer than 200 characters, naming the header', async () => {
    const caseId = await openCase();
    const res = await step(caseId, 'recordRecusal', recusal('周某'), 'k'.repeat(201));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'headers.Idempotency-Key', message: expect.stringContaining('200') }]);
  });

  it('lets the outcome be asked for again by its step id', async () => {
    const caseId = await openCase();
    const first = await step(caseId, 'recordRecusal', recusal('吴某'), 'recusal-4').expect(200);
    const updateId = stepUpdateId(AUTHORITY, 'officer-7', 'recusal-4');
    const again = await request(stack.app).get(`/v1/cases/${caseId}/steps/${updateId}`).set('Authorization', `Bearer ${officer}`);
    expect(again.status).toBe(200);
    expect(again.body.recusals).toEqual(first.body.recusals);
  });
});

describe('a step the case cannot take now', () => {
  it('is pending after a bounded wait, and its outcome is there once a worker takes it', async () => {
    // A case on a task queue no worker polls yet: nothing can take the step.
    const taskQueue = uniqueTaskQueue('no-worker');
    const app = createApp({ ...appDeps(stack.db), taskQueue });
    const caseId = await openCase(app);
    const deps = { db: stack.db, client: stack.env.client, waitMs: 1_500 };
    const started = Date.now();
    const pending = await takeStep(deps, { caseId, action: 'recordRecusal', body: recusal('郑某'), actor: { sub: 'officer-7', name: '李办案', roles: ['officer'] }, authority: AUTHORITY, idempotencyKey: 'late-1' });
    expect(pending.status).toBe('pending');
    expect(Date.now() - started).toBeLessThan(10_000);

    const worker = await createCaseWorker({ connection: stack.env.nativeConnection, namespace: stack.env.namespace ?? 'default', taskQueue, dependencies: { db: stack.db, client: stack.env.client }, dataConverter: testDataConverter, workflowBundle: await workflowBundle() });
    await worker.runUntil(async () => {
      const done = await eventually(async () => {
        const outcome = await stepOutcome({ ...deps, waitMs: 5_000 }, caseId, pending.updateId);
        if (outcome.status !== 'done') throw new Error('still pending');
        return outcome;
      }, 60_000);
      // The step answers with the version of the case after it; the case's view at that version has it.
      expect(done.result.version).toBeGreaterThan(0);
      const view = await findCaseView(stack.db, caseId);
      expect(view!.version).toBeGreaterThanOrEqual(done.result.version);
      expect(view!.state.recusals.map((r) => r.person.name)).toEqual(['郑某']);
      await stack.env.client.workflow.getHandle(caseId).terminate('test done');
    });
  });

  it('answers 503 with Retry-After within the wait when no worker can answer for the case', async () => {
    const app = createApp({ ...appDeps(stack.db), taskQueue: uniqueTaskQueue('nobody'), stepWaitMs: 1_500 });
    const caseId = await openCase(app);
    const started = Date.now();
    const res = await request(app).post(`/v1/cases/${caseId}/actions/recordRecusal`).set('Authorization', `Bearer ${officer}`).send(recusal('冯某'));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(Date.now() - started).toBeLessThan(10_000);
    await stack.env.client.workflow.getHandle(caseId).terminate('test done');
  });
});

describe('a step the server does not let through now', () => {
  it('answers 503 with Retry-After, never 422, when the case has the server’s limit of steps in flight; the keyed retry then applies it once', async () => {
    const taskQueue = uniqueTaskQueue('in-flight');
    const app = createApp({ ...appDeps(stack.db), taskQueue, stepWaitMs: 1_500 });
    const startWorker = async () =>
      createCaseWorker({ connection: stack.env.nativeConnection, namespace: stack.env.namespace ?? 'default', taskQueue, dependencies: { db: stack.db, client: stack.env.client }, dataConverter: testDataConverter, workflowBundle: await workflowBundle() });
    // Opened with a worker, so the case has its view; then no worker answers for it.
    let caseId = '';
    await (await startWorker()).runUntil(async () => {
      caseId = await openCase(app);
      await eventually(async () => expect(await findCaseView(stack.db, caseId)).toBeDefined(), 60_000);
    });
    // The server holds ten steps of one case in flight (history.maxInFlightUpdates); these ten wait for a
    // worker, their calls held open (a call given up after a short wait did not always keep its place).
    const actor = { sub: 'officer-7', name: '李办案', roles: ['officer'] };
    const deps = { db: stack.db, client: stack.env.client, waitMs: 1_500 };
    const held = Array.from({ length: 10 }, (_, i) =>
      takeStep({ ...deps, waitMs: 120_000 }, { caseId, action: 'recordRecusal', body: recusal(`在途${i}`), actor, authority: AUTHORITY, idempotencyKey: `in-flight-${i}` }).then(
        (o) => o.status,
        (err: Error) => err.message,
      ),
    );
    // The next is refused by the server, not by the case: 503 with Retry-After, not 422 "refused". One sent
    // before all ten are in is taken in (202) and the next one is sent, a few at most.
    const viaApi = (i: number) => request(app).post(`/v1/cases/${caseId}/actions/recordRecusal`).set('Authorization', `Bearer ${officer}`).set('Idempotency-Key', `in-flight-${i}`).send(recusal(i === 10 ? '第十一人' : `在途${i}`));
    let last = 10;
    let busy = await viaApi(last);
    while (busy.status === 202 && last < 14) busy = await viaApi((last += 1));
    const refusedStep = () => viaApi(last);
    expect([busy.status, busy.body.code, busy.body.reason]).toEqual([503, 'case_busy', 'updateLimit']);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
    expect(busy.headers['content-type']).toContain('application/problem+json');

    await (await startWorker()).runUntil(async () => {
      // Sent again with its key once the case takes steps: applied, once.
      const retried = await eventually(async () => {
        const res = await refusedStep();
        expect(res.status).toBe(200);
        return res;
      }, 60_000);
      const again = await refusedStep();
      expect(again.status).toBe(200);
      expect(again.body.recusals).toEqual(retried.body.recusals);
      // The ten held in flight are taken, each once; any answered pending is sent again under its key, as a client does.
      expect(await Promise.all(held)).toEqual(Array(10).fill('done'));
      for (let i = 10; i < last; i += 1) expect((await viaApi(i)).status).toBe(200);
      const names = (await eventually(async () => {
        const view = (await findCaseView(stack.db, caseId))!;
        expect(view.state.recusals).toHaveLength(last + 1);
        return view.state.recusals;
      }, 60_000)).map((r) => r.person.name);
      expect(names.filter((n) => n === '第十一人')).toHaveLength(1);
      expect(new Set(names).size).toBe(last + 1);
    });
    await stack.env.client.workflow.getHandle(caseId).terminate('test done');
  });
});

describe('an archive database that does not answer', () => {
  it('answers 503 database_unavailable with Retry-After, not a server error', async () => {
    // A real driver pointed at a port where no server listens: every query fails as a down database does.
    const pool = new Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 1_000 });
    const down: Db = {
      kind: 'postgres',
      query: async (sql, params) => (await pool.query(sql, params)).rows as never,
      transaction: () => Promise.reject(new Error('unused')),
      close: () => pool.end(),
    };
    const app = createApp(appDeps(down));
    const res = await request(app).get('/v1/inbox').set('Authorization', `Bearer ${officer}`);
    expect([res.status, res.body.code]).toEqual([503, 'database_unavailable']);
    expect(res.headers['retry-after']).toBe('5');
    await pool.end();
  });
});

describe('a case id', () => {
  it('names one case for ever: a retried opening after the case was terminated finds it, and starts no second run', async () => {
    const caseId = await openCase(stack.app, 'open-once');
    const handle = stack.env.client.workflow.getHandle(caseId);
    const { runId } = await handle.describe();
    await handle.terminate('test: closed');
    const again = await openCase(stack.app, 'open-once');
    expect(again).toBe(caseId);
    const after = await stack.env.client.workflow.getHandle(caseId).describe();
    expect([after.runId, after.status.name]).toEqual([runId, 'TERMINATED']);
  });
});

function appDeps(db: Db) {
  return {
    client: stack.env.client,
    db,
    verifyToken: createVerifier({ kind: 'secret', secret }),
    taskQueue: stack.taskQueue,
    namespace: stack.env.namespace ?? 'default',
    baseUrl: 'http://rongcuo.test',
    logger: pino({ level: 'silent' }),
    writesPerMinute: 100_000,
    matterIndex: testMatterIndex,
  };
}

