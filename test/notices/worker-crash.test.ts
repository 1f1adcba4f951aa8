/**
 * A worker killed between sending an e-mail and recording it does not send it
 * again after restart. The real worker process (worker/main.ts) runs as a
 * child of the test; the SMTP server kills it with SIGKILL the moment the
 * message has arrived, before answering. The next attempt, on a restarted
 * worker, finds the delivery claimed but not recorded: it cannot know whether
 * the party got it, so it does not send a second notice but tells the
 * responsible officer, and the case goes on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { beijingDate } from '../../domain/calendar';
import { actionUpdate, caseStateQuery, WORKFLOW_TYPE, type CaseInput } from '../../domain/case/contract';
import { rulebookInForce } from '../../domain/rulebooks';
import { saveCaseContacts } from '../../store/case-contacts';
import { openDb } from '../../store/db';
import { notificationsForCase } from '../../store/notifications';
import { officer, supervisor } from '../support/case-driver';
import { eventually } from '../support/eventually';
import { TEST_PAYLOAD_KEYS } from '../support/keys';
import { startSmtpServer, type TestSmtpServer } from '../support/notice-receivers';
import { freePort } from '../support/ports';
import { startDevServer, uniqueTaskQueue, workflowBundleFile } from '../support/temporal';

const ROOT = path.resolve(__dirname, '..', '..');
const SUBJECT_EMAIL = 'chen@example.cn';

let env: TestWorkflowEnvironment;
let smtp: TestSmtpServer;
const children = new Set<ChildProcess>();
beforeAll(async () => {
  [env, smtp] = await Promise.all([startDevServer(), startSmtpServer()]);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all([env?.teardown(), smtp?.close()]);
});

/** Starts worker/main.ts as its own process and waits until it polls. */
async function startWorkerProcess(settings: Record<string, string>): Promise<ChildProcess> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/support/register-ts.cjs'), path.join(ROOT, 'worker/main.ts')], {
    cwd: ROOT,
    env: { ...inherited, ...settings, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`worker exited (${code}):\n${output}`)));
  });
  return child;
}

it('does not send a notice twice when the worker is killed between sending and recording it', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-crash-'));
  const taskQueue = uniqueTaskQueue('crash');
  const today = beijingDate(Date.now());
  const caseId = `case-yangjiang-${today.slice(0, 4)}-9${String(process.pid % 100_000).padStart(5, '0')}`;
  const seed = await openDb({ pgliteDir: path.join(dataDir, 'archive') });
  await saveCaseContacts(seed, { caseId, authority: 'yangjiang-jw', responsible: { sub: officer.sub, name: officer.name }, addresses: { subject: { email: SUBJECT_EMAIL } } });
  await seed.close();

  // The test's client encrypts with the test keys, so the worker must have them too.
  const metrics = `127.0.0.1:${await freePort()}`;
  const settings = {
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATA_DIR: dataDir,
    SMTP_URL: smtp.url,
    NOTIFY_MAX_ATTEMPTS: '5',
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    WORKER_METRICS_ADDRESS: metrics,
    // Built ahead, so neither start of the worker bundles the workflows again.
    WORKFLOW_BUNDLE_PATH: await workflowBundleFile(dataDir),
  };
  let worker = await startWorkerProcess(settings);
  const killed = new Promise<void>((resolve) => {
    smtp.beforeAccepting = async () => {
      smtp.beforeAccepting = undefined;
      const exited = once(worker, 'exit');
      worker.kill('SIGKILL');
      await exited;
      resolve();
    };
  });

  const input: CaseInput = {
    caseId,
    rulebook: rulebookInForce('yangjiang', today)!,
    authority: 'yangjiang-jw',
    subject: { name: '陈某', organisation: '某镇政府' },
    matter: '征地补偿中的程序问题',
    accountability: { reference: '阳纪问〔2026〕3号' },
    eventDate: today,
    route: 'application',
    level: 'county',
    raisedItems: ['审批程序简化'],
    openedBy: officer,
    openedAt: new Date().toISOString(),
  };
  const handle = await env.client.workflow.start(WORKFLOW_TYPE, { args: [input], taskQueue, workflowId: caseId });
  try {
    const offered = (name: string) =>
      eventually(async () => expect((await handle.query(caseStateQuery)).availableActions.map((a) => a.name)).toContain(name), 30_000);
    await offered('fileApplication');
    await handle.executeUpdate(actionUpdate('fileApplication'), { args: [{ filedBy: 'subject', receivedOn: today, summary: '书面申诉', actor: officer }] });
    await offered('decideAcceptance');
    await handle.executeUpdate(actionUpdate('decideAcceptance'), { args: [{ accepted: true, decidedOn: today, actor: supervisor }] });
    await killed;
    expect(smtp.messages).toHaveLength(1);

    worker = await startWorkerProcess(settings);
    // The dead attempt times out on its heartbeat; the next one, on the new worker, finishes the step.
    await eventually(async () => expect((await handle.query(caseStateQuery)).stage).not.toBe('acceptance'), 90_000);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.subject).toBe('容错免责申请已受理');
    // The restarted worker serves the SDK's runtime metrics: its cache, sticky hits, task latencies.
    // The restarted worker opens its metrics port once it runs: asked until it answers.
    const exported = await eventually(async () => (await fetch(`http://${metrics}/metrics`)).text(), 30_000);
    for (const name of ['temporal_sticky_cache_size', 'temporal_workflow_task_schedule_to_start_latency', 'temporal_worker_task_slots_available']) expect(exported).toContain(name);
  } finally {
    await handle.terminate('test done').catch(() => undefined);
    const exited = once(worker, 'exit');
    worker.kill('SIGTERM');
    await exited;
  }

  const db = await openDb({ pgliteDir: path.join(dataDir, 'archive') });
  try {
    const rows = await notificationsForCase(db, caseId);
    expect(rows.find((n) => n.channel === 'email')).toMatchObject({ status: 'unconfirmed', attempts: 1 });
    const escalation = rows.find((n) => n.subject.startsWith('【送达异常】'));
    expect(escalation).toMatchObject({ channel: 'inbox', recipient: { kind: 'officer', sub: officer.sub } });
    expect(escalation!.body).toContain('不再自动重发');
  } finally {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 240_000);
