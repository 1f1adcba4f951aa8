/**
 * The real stack in one test process: the Temporal CLI's dev server (from the
 * pinned wheel), a worker, the archive database and the HTTP app.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { NoticeSettings } from '../../activities/notices';
import pino from 'pino';
import type { Express } from 'express';
import { createApp, type AppDeps } from '../../api/app';
import { createVerifier } from '../../api/auth';
import type { YearSchedule } from '../../domain/calendar';
import { signDevToken } from '../../scripts/token';
import type { Db } from '../../store/db';
import { openTestDb } from './test-db';
import { createCaseWorker } from '../../worker/worker';
import { testDataConverter, testMatterIndex, testPayloadKeys } from './keys';
import { startDevServer, uniqueTaskQueue, workflowBundle } from './temporal';

export interface Stack {
  env: TestWorkflowEnvironment;
  db: Db;
  app: Express;
  worker: Worker;
  taskQueue: string;
  /** The HS256 secret the app verifies tokens with, for tests that craft tokens of their own. */
  secret: Uint8Array;
  token(claims: { roles: string[]; authority: string; sub?: string; name?: string; email?: string }): Promise<string>;
  /** Stops the worker (the API goes on), as when every worker is down. */
  stopWorker(): Promise<void>;
  /** Starts a new worker on the same task queue. */
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

export const STACK_TOKEN_SECRET = new TextEncoder().encode('test-secret-test-secret-test-secret-0123456789');
const secret = STACK_TOKEN_SECRET;
/** The same secret, under the name the console's tests know it by. */
export const STACK_SECRET = secret;

export async function startStack(
  options: {
    publishedSchedules?: ReadonlyMap<number, YearSchedule>;
    notices?: NoticeSettings;
    stepWaitMs?: number;
    app?: Partial<Pick<AppDeps, 'baseUrl' | 'signIn' | 'authorities' | 'dryRuns' | 'now' | 'materialLimits'>>;
    /** The dev server's HTTP API on this port, for tests that go around the API. */
    temporalHttpPort?: number;
  } = {},
): Promise<Stack> {
  const [env, db] = await Promise.all([startDevServer({ httpPort: options.temporalHttpPort }), openTestDb()]);
  const taskQueue = uniqueTaskQueue('stack');
  const newWorker = async () =>
    createCaseWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      dependencies: { db, client: env.client, publishedSchedules: options.publishedSchedules, notices: options.notices, payloadKeys: testPayloadKeys },
      dataConverter: testDataConverter,
      workflowBundle: await workflowBundle(),
    });
  let worker: Worker | undefined = await newWorker();
  let running: Promise<void> | undefined = worker.run();
  const stopWorker = async () => {
    if (!worker) return;
    worker.shutdown();
    await running;
    worker = undefined;
    running = undefined;
  };
  const app = createApp({
    client: env.client,
    db,
    verifyToken: createVerifier({ kind: 'secret', secret }),
    taskQueue,
    namespace: env.namespace ?? 'default',
    baseUrl: 'http://rongcuo.test',
    logger: pino({ level: 'silent' }),
    publishedSchedules: options.publishedSchedules,
    // Tests write far faster than people, and fail to sign in on purpose; the limits are tested on apps of their own.
    writesPerMinute: 100_000,
    calendarReadsPerMinute: 100_000,
    matterIndex: testMatterIndex,
    payloadKeys: testPayloadKeys,
    authFailuresPerMinute: 100_000,
    ...(options.stepWaitMs ? { stepWaitMs: options.stepWaitMs } : {}),
    ...options.app,
  });
  return {
    env,
    db,
    app,
    get worker() {
      if (!worker) throw new Error('the stack’s worker is stopped');
      return worker;
    },
    taskQueue,
    secret,
    token: ({ roles, authority, sub = 'u-test', name = '测试用户', email }) => signDevToken(secret, { sub, name, roles, authority, email }),
    stopWorker,
    async startWorker() {
      if (worker) return;
      worker = await newWorker();
      running = worker.run();
    },
    async stop() {
      await stopWorker();
      await Promise.all([env.teardown(), db.close()]);
    },
  };
}

/**
 * Another app over the same stack (its Temporal client, archive and token secret) with some
 * settings changed: a rate limit, a logger, a sign-in, the metrics' access.
 */
export function appOverStack(stack: Stack, overrides: Partial<AppDeps>): ReturnType<typeof createApp> {
  return createApp({
    client: stack.env.client,
    db: stack.db,
    verifyToken: createVerifier({ kind: 'secret', secret: stack.secret }),
    taskQueue: stack.taskQueue,
    namespace: stack.env.namespace ?? 'default',
    matterIndex: testMatterIndex,
    baseUrl: 'http://rongcuo.test',
    logger: pino({ level: 'silent' }),
    ...overrides,
  });
}
