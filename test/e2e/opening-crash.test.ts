/**
 * Opening is one operation (issue 29): a process killed with SIGKILL between
 * committing a case's number and starting its workflow leaves no orphan
 * number. The case it numbered is started, with the input it was numbered
 * with, by the keyed retry of its request or, for a request without a key, by
 * the relay of the next API process; the next opening takes the next number,
 * so each jurisdiction's numbers of a year still run without a gap. A keyed
 * retry after Temporal has forgotten the closed case (its retention, here a
 * deleted workflow) answers with the same case and starts no second run.
 *
 * The opening process is a real child process (test/support/opening-process.ts),
 * on the embedded archive in a data folder of its own and the dev server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { beijingDate } from '../../domain/calendar';
import { caseStateQuery, caseWorkflowId } from '../../domain/case/contract';
import { findCaseOpening } from '../../store/case-openings';
import { openDb, type Db } from '../../store/db';
import { createCaseWorker } from '../../worker/worker';
import { eventually } from '../support/eventually';
import { testDataConverter } from '../support/keys';
import { OPENING } from '../support/opening-process';
import { startDevServer, uniqueTaskQueue, workflowBundle } from '../support/temporal';

const ROOT = path.resolve(__dirname, '..', '..');
const TODAY = beijingDate(Date.now());
const YEAR = Number(TODAY.slice(0, 4));

let env: TestWorkflowEnvironment;
let dataDir: string;
const taskQueue = uniqueTaskQueue('opening-crash');
const children = new Set<ChildProcess>();
beforeAll(async () => {
  env = await startDevServer();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-opening-'));
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await env?.teardown();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Answer = { ready?: true; numbered?: string; opened?: { caseId: string; replayed: boolean; started: boolean }; relayed?: number; error?: string };

/** The opening process, with a way to ask it one thing and read its next answer. */
async function startOpener(): Promise<{ child: ChildProcess; ask(request: object): Promise<Answer>; stop(): Promise<void> }> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/support/register-ts.cjs'), path.join(ROOT, 'test/support/opening-process.ts')], {
    cwd: ROOT,
    env: { ...inherited, DATA_DIR: dataDir, TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Answer> => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the opening process ended without answering');
    return JSON.parse(value as string) as Answer;
  };
  expect(await next()).toEqual({ ready: true });
  return {
    child,
    ask: (request) => (child.stdin!.write(`${JSON.stringify(request)}\n`), next()),
    async stop() {
      const exited = once(child, 'exit');
      child.stdin!.end();
      await exited;
    },
  };
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** What the archive holds now, read once the opening process is gone (the embedded archive is one process's). */
async function withArchive<T>(read: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb({ pgliteDir: path.join(dataDir, 'archive') });
  try {
    return await read(db);
  } finally {
    await db.close();
  }
}

const exists = (caseId: string) =>
  env.client.workflow
    .getHandle(caseId)
    .describe()
    .then(() => true, (err: unknown) => (err instanceof WorkflowNotFoundError ? false : Promise.reject(err)));

it('leaves no orphan number and starts no second run when the process dies between the number and the start', async () => {
  const first = caseWorkflowId('binhai', YEAR, 1);
  const second = caseWorkflowId('binhai', YEAR, 2);
  const third = caseWorkflowId('binhai', YEAR, 3);

  // 1. A keyed opening, killed once its number is committed and before its workflow starts.
  let opener = await startOpener();
  expect(await opener.ask({ open: { key: 'retry-me', pause: true, eventDate: TODAY } })).toEqual({ numbered: first });
  await kill(opener.child);
  expect(await exists(first)).toBe(false);
  const waiting = await withArchive((db) => findCaseOpening(db, first));
  expect(waiting).toMatchObject({ caseId: first, startedAt: null });
  // Its input waits sealed: the archive holds neither the subject's name nor the matter in clear.
  expect(Buffer.from(waiting!.sealedInput!, 'base64').toString('latin1')).not.toContain(Buffer.from(OPENING.subject.name).toString('latin1'));

  // 2. The client retries with its key: the same case, numbered once, now started.
  opener = await startOpener();
  expect(await opener.ask({ open: { key: 'retry-me', eventDate: TODAY } })).toEqual({ opened: { caseId: first, replayed: true, started: true } });
  expect(await exists(first)).toBe(true);

  // 3. An opening without a key (nobody can retry it), killed at the same point: the next process's relay starts it.
  expect(await opener.ask({ open: { pause: true, eventDate: TODAY } })).toEqual({ numbered: second });
  await kill(opener.child);
  expect(await exists(second)).toBe(false);
  opener = await startOpener();
  expect(await opener.ask({ relay: true })).toEqual({ relayed: 1 });
  expect(await exists(second)).toBe(true);

  // 4. The next opening takes the next number: no gap, none twice.
  expect(await opener.ask({ open: { eventDate: TODAY } })).toEqual({ opened: { caseId: third, replayed: false, started: true } });

  // 5. Temporal forgets the first case once closed (its retention; here deleted): the keyed retry answers with it and starts nothing.
  const handle = env.client.workflow.getHandle(first);
  await handle.terminate('test: closed');
  await env.client.workflowService.deleteWorkflowExecution({ namespace: env.namespace ?? 'default', workflowExecution: { workflowId: first } });
  await eventually(async () => expect(await exists(first)).toBe(false), 30_000);
  expect(await opener.ask({ open: { key: 'retry-me', eventDate: TODAY } })).toEqual({ opened: { caseId: first, replayed: true, started: true } });
  expect(await opener.ask({ relay: true })).toEqual({ relayed: 0 });
  expect(await exists(first)).toBe(false);
  await opener.stop();

  // The cases the relay and the retry started go on, with the input they were numbered with.
  await withArchive(async (db) => {
    expect((await db.query<{ last_number: number }>('select last_number from case_numbers where jurisdiction = $1 and year = $2', ['binhai', YEAR]))[0]!.last_number).toBe(3);
    const pending = await db.query('select case_id from case_openings where started_at is null or sealed_input is not null');
    expect(pending).toEqual([]);
    const worker = await createCaseWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      dependencies: { db, client: env.client },
      dataConverter: testDataConverter,
      workflowBundle: await workflowBundle(),
    });
    await worker.runUntil(async () => {
      for (const caseId of [second, third]) {
        const state = await eventually(async () => {
          const s = await env.client.workflow.getHandle(caseId).query(caseStateQuery);
          expect(s.availableActions.map((a) => a.name)).toContain('fileApplication');
          return s;
        }, 60_000);
        expect([state.caseId, state.subject.name, state.matter]).toEqual([caseId, OPENING.subject.name, OPENING.matter]);
        await env.client.workflow.getHandle(caseId).terminate('test done');
      }
    });
  });
}, 240_000);
