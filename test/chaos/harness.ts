/**
 * The crash test: whole cases of all five jurisdictions through the real API,
 * served by a real worker process that a supervisor kills with SIGKILL at
 * random moments, and at the worst moments it can find (a notice leaving by
 * SMTP, a document being numbered), and restarts; the archive database
 * (PostgreSQL, a process of its own) is restarted under them too. Afterwards
 * it counts what was lost or doubled: a run that loses or doubles anything
 * fails. `npm run chaos` runs it at full size; test/chaos/crash.test.ts runs a
 * short version in `npm test`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { Client as PgClient } from 'pg';
import { signDevToken } from '../../scripts/token';
import { FULL_PATHS, FULL_PATH_JURISDICTIONS, openFullCase, driveFullCase, type FullCaseApi } from '../support/full-cases';
import { TEST_PAYLOAD_KEYS } from '../support/keys';
import { startSmtpServer, type TestSmtpServer } from '../support/notice-receivers';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { startDevServer, workflowBundleFile } from '../support/temporal';

const ROOT = path.resolve(__dirname, '..', '..');
const TOKEN_SECRET = 'chaos-secret-chaos-secret-chaos-secret-01234';
const EventType = temporal.api.enums.v1.EventType;

export interface ChaosOptions {
  /** Whole cases to run, spread over the five jurisdictions. */
  cases: number;
  /** Cases driven at once. */
  concurrency: number;
  /** At least this many SIGKILLs of the worker. */
  kills: number;
  /** At least this many restarts of the archive database. */
  databaseRestarts: number;
  /**
   * How long to wait, once the cases are driven, for those that said they were closed to finish
   * their last effects (an activity the killed worker held runs again only after its heartbeat
   * timeout). Cases still running then are counted, and make the run unclean: every effect
   * heartbeats or is short, so a case that lost its worker finishes within a minute or so.
   */
  settleSeconds?: number;
  log(line: string): void;
}

export interface ChaosReport {
  cases: number;
  reachedEndState: number;
  failedCases: { caseId: string; error: string }[];
  kills: { total: number; duringSend: number; duringNumbering: number; atRandom: number };
  databaseRestarts: number;
  /** Worker exits nobody caused: a crash (the database restarting under it, say). */
  unexpectedWorkerExits: number;
  notices: number;
  emailsReceived: number;
  duplicateNotices: number;
  duplicateEmails: number;
  unconfirmedEmails: number;
  documents: number;
  duplicateDocumentNumbers: number;
  missingDocumentNumbers: number;
  closedCases: number;
  missingDossiers: number;
  /** Cases at their end state whose workflow had still not completed when the settle time was up. */
  stillFinishing: number;
  settleSeconds: number;
  workflowTaskFailures: number;
  pendingWorkflowTaskFailures: number;
  seconds: number;
}

/** Zero losses and zero duplicates. */
export function clean(report: ChaosReport): boolean {
  return (
    report.reachedEndState === report.cases &&
    report.unexpectedWorkerExits === 0 &&
    report.duplicateNotices === 0 &&
    report.duplicateEmails === 0 &&
    report.duplicateDocumentNumbers === 0 &&
    report.missingDocumentNumbers === 0 &&
    report.missingDossiers === 0 &&
    report.stillFinishing === 0 &&
    report.workflowTaskFailures === 0 &&
    report.pendingWorkflowTaskFailures === 0
  );
}

export function formatReport(report: ChaosReport): string {
  const rows: [string, string | number][] = [
    ['cases run (all five jurisdictions)', report.cases],
    ['cases at their expected end state', report.reachedEndState],
    ['worker SIGKILLs (during a send / during numbering / at random)', `${report.kills.total} (${report.kills.duringSend} / ${report.kills.duringNumbering} / ${report.kills.atRandom})`],
    ['archive database restarts', report.databaseRestarts],
    ['worker crashes (exits nobody caused)', report.unexpectedWorkerExits],
    ['notices recorded', report.notices],
    ['e-mails received by the SMTP server', report.emailsReceived],
    ['duplicate notices per (case, step, recipient, channel)', report.duplicateNotices],
    ['duplicate e-mails per delivery', report.duplicateEmails],
    ['e-mails handed to an officer as unconfirmed', report.unconfirmedEmails],
    ['documents issued', report.documents],
    ['duplicate document numbers per issuing body and year', report.duplicateDocumentNumbers],
    ['missing document numbers per issuing body and year', report.missingDocumentNumbers],
    ['closed cases without their dossier', `${report.missingDossiers} of ${report.closedCases}`],
    [`cases at their end state still finishing after ${report.settleSeconds} s`, report.stillFinishing],
    ['workflow task failures in histories', report.workflowTaskFailures],
    ['workflow task failures left pending', report.pendingWorkflowTaskFailures],
    ['wall time', `${report.seconds} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

/** The worker process, killed and started again by the supervisor. */
class WorkerProcess {
  private child: ChildProcess | undefined;
  private starting: Promise<void> | undefined;
  private killing = false;
  output = '';
  /** Exits nobody asked for (a crash): counted, and the worker started again as a restart policy would. */
  unexpectedExits: string[] = [];

  constructor(private readonly env: Record<string, string>) {}

  start(): Promise<void> {
    this.starting ??= new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/support/register-ts.cjs'), path.join(ROOT, 'worker/main.ts')], {
        cwd: ROOT,
        env: { ...process.env, ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.child = child;
      const timer = setTimeout(() => reject(new Error(`worker did not start within 120 s:\n${this.output.slice(-2000)}`)), 120_000);
      const read = (chunk: Buffer) => {
        this.output = (this.output + chunk.toString()).slice(-20_000);
        if (this.output.includes('worker running')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = undefined;
        if (!this.killing && !this.stopped) {
          this.unexpectedExits.push(`exit ${signal ?? code}: ${this.output.slice(-1500)}`);
          void this.start().catch(() => undefined);
        }
      });
    }).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  get running(): boolean {
    return this.child !== undefined && this.starting === undefined;
  }

  private stopped = false;

  /** SIGKILL: no shutdown, no cleanup, activities cut off wherever they are. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.killing = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.killing = false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.kill();
  }
}

/** The API process: kept running; it is what the officers talk to. */
function startApi(env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/support/register-ts.cjs'), path.join(ROOT, 'api/server.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`API did not start:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (output.includes('API listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`API exited (${code}):\n${output}`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const { log } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-chaos-'));
  let env: TestWorkflowEnvironment | undefined;
  let pg: PostgresServer | undefined;
  let smtp: TestSmtpServer | undefined;
  let api: ChildProcess | undefined;
  let worker: WorkerProcess | undefined;
  let watcher: PgClient | undefined;
  let finished = false;
  try {
    log('starting the Temporal dev server, PostgreSQL and an SMTP server…');
    [env, pg, smtp] = await Promise.all([startDevServer(), startPostgres(), startSmtpServer()]);
    // The test run's bundle when there is one (npm test), else built here (npm run chaos).
    const bundlePath = await workflowBundleFile(dataDir);

    const apiPort = 20_000 + (process.pid % 20_000);
    const common = {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: 'chaos',
      DATABASE_URL: pg.url,
      DATA_DIR: dataDir,
      SMTP_URL: smtp.url,
      NOTIFY_MAX_ATTEMPTS: '20',
      TOKEN_SECRET,
      LOG_LEVEL: 'info',
      STARTUP_WAIT_SECONDS: '120',
      DOSSIER_SWEEP_MINUTES: '0',
      // The keys of the test's own client, which reads the cases back.
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    };
    log('starting the API and the worker…');
    api = await startApi({ ...common, API_HOST: '127.0.0.1', API_PORT: String(apiPort), RATE_LIMIT_WRITES_PER_MINUTE: '100000', STEP_WAIT_SECONDS: '5' });
    worker = new WorkerProcess({ ...common, WORKFLOW_BUNDLE_PATH: bundlePath, WORKER_SHUTDOWN_GRACE_SECONDS: '1' });
    await worker.start();

    // Numbering a document holds its transaction a moment longer, so the supervisor can catch a worker in it.
    watcher = new PgClient({ connectionString: pg.url });
    await watcher.connect();
    await watcher.query(`create or replace function chaos_slow_numbering() returns trigger language plpgsql as $$ begin perform pg_sleep(0.3); return new; end $$`);
    await watcher.query(`create trigger chaos_slow_numbering before insert on documents for each row execute function chaos_slow_numbering()`);

    const kills = { total: 0, duringSend: 0, duringNumbering: 0, atRandom: 0 };
    let databaseRestarts = 0;
    let killing: Promise<void> | undefined;
    // Kills spread over the whole run: never two closer than half the spacing the minimum asks for.
    const spacing = Math.max(1_000, (estimatedSeconds(options) * 1000) / (options.kills + 1));
    let lastKill = 0;
    const killWorker = (why: keyof Omit<typeof kills, 'total'>): Promise<void> => {
      if (killing || !worker!.running || finished || Date.now() - lastKill < spacing / 2) return killing ?? Promise.resolve();
      lastKill = Date.now();
      kills.total += 1;
      kills[why] += 1;
      log(`  SIGKILL worker #${kills.total} (${why})`);
      const killedAt = Date.now();
      killing = worker!
        .kill()
        .then(() => sleep(200 + Math.random() * 800))
        .then(() => worker!.start())
        .then(() => log(`    worker back after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`))
        .finally(() => {
          killing = undefined;
        });
      return killing;
    };
    // Kills at the worst moments found may go half again over the minimum; random ones only make up the minimum.
    const budgetLeft = () => kills.total < Math.ceil(options.kills * 1.5);
    // A kill while an e-mail is arriving: the worker dies between sending and recording.
    smtp.beforeAccepting = async () => {
      // Likelier until one has landed, so even a short run has a kill in the middle of a send.
      if (budgetLeft() && Math.random() < (kills.duringSend === 0 ? 0.7 : 0.25)) await killWorker('duringSend');
    };

    const api$: FullCaseApi = { baseUrl: `http://127.0.0.1:${apiPort}`, sign: (claims) => signDevToken(new TextEncoder().encode(TOKEN_SECRET), claims), stepTimeoutMs: 600_000 };
    const jurisdictions = Array.from({ length: options.cases }, (_, i) => FULL_PATH_JURISDICTIONS[i % FULL_PATH_JURISDICTIONS.length]!);
    const results: { caseId?: string; jurisdiction: string; ok: boolean; error?: string }[] = [];
    let next = 0;
    let done = 0;
    const runOne = async (): Promise<void> => {
      for (;;) {
        const index = next++;
        const jurisdiction = jurisdictions[index];
        if (!jurisdiction) return;
        const path$ = FULL_PATHS[jurisdiction]!;
        let caseId: string | undefined;
        try {
          const opened = await openFullCase(api$, jurisdiction, { actorId: `c${index}`, contacts: { subject: { email: `subject-${index}@example.cn` } } });
          caseId = opened.caseId;
          const state = await driveFullCase(opened);
          const ok = state.closed && state.outcome === path$.outcome && JSON.stringify(state.documents.map((d) => d.kind)) === JSON.stringify(path$.documents);
          results.push({ caseId, jurisdiction, ok, ...(ok ? {} : { error: `ended ${state.outcome}, documents ${state.documents.map((d) => d.kind).join(',')}` }) });
        } catch (err) {
          results.push({ caseId, jurisdiction, ok: false, error: (err as Error).message });
        }
        done += 1;
        if (done % Math.max(1, Math.floor(options.cases / 10)) === 0) log(`  ${done}/${options.cases} cases done, ${kills.total} kills, ${databaseRestarts} database restarts`);
      }
    };

    // The supervisor: kills in document numbering when it sees one, at random otherwise, and restarts the database.
    const supervisor = (async () => {
      // Restarts spread over the run: after a share of the cases is done.
      const restartAfter = Array.from({ length: options.databaseRestarts }, (_, i) => Math.max(1, Math.floor(((i + 1) * options.cases) / (options.databaseRestarts + 1))));
      let lastRandomKill = Date.now();
      let restartDue: number | undefined;
      let doneAtNumberingKill = -1;
      while (!finished) {
        await sleep(50);
        if (finished) break;
        const numbering = await watcher!
          .query(`select count(*)::int as n from pg_stat_activity where state = 'active' and query ilike 'insert into documents%' and pid <> pg_backend_pid()`)
          .then((r) => Number(r.rows[0].n), () => 0);
        // A restart is due after a share of the cases; it waits (a little) for a document being numbered, to cut it off.
        if (restartAfter.length > 0 && done >= restartAfter[0]!) restartDue ??= Date.now();
        if (restartDue !== undefined && (numbering > 0 || Date.now() - restartDue > 15_000)) {
          restartDue = undefined;
          restartAfter.shift();
          databaseRestarts += 1;
          log(`  restarting the archive database (#${databaseRestarts})`);
          await watcher!.end().catch(() => undefined);
          pg!.restart();
          watcher = new PgClient({ connectionString: pg!.url });
          await watcher.connect();
          continue;
        }
        // Not twice in a row before another case has finished: the numbering seen again may be the same
        // document's retry, and killing every retry of one document would only stall that case.
        if (numbering > 0 && budgetLeft() && done > doneAtNumberingKill && Math.random() < 0.5) {
          doneAtNumberingKill = done;
          await killWorker('duringNumbering');
          continue;
        }
        // Random kills spread over the run, so the minimum is reached whatever the moments found.
        if (kills.total < options.kills && Date.now() - lastRandomKill > spacing * (0.5 + Math.random())) {
          lastRandomKill = Date.now();
          await killWorker('atRandom');
        }
      }
    })();

    await Promise.all(Array.from({ length: options.concurrency }, runOne));
    // Until the minimum number of kills is reached, the cases above keep being driven: wait for the rest.
    while (kills.total < options.kills || databaseRestarts < options.databaseRestarts) {
      log(`  minimum not reached yet (${kills.total} kills, ${databaseRestarts} restarts): running more cases`);
      next = jurisdictions.length;
      jurisdictions.push(...FULL_PATH_JURISDICTIONS);
      await Promise.all(Array.from({ length: options.concurrency }, runOne));
    }
    finished = true;
    await supervisor;
    await killing;
    if (!worker.running) await worker.start();

    for (const exit of worker.unexpectedExits) log(`  the worker exited by itself: ${exit}`);
    // A case says it is closed before its last effects (archival copies, the dossier) are done: wait,
    // bounded, for those workflows to complete, so the count sees every closed case whole.
    const settleSeconds = options.settleSeconds ?? 300;
    const stillFinishing = await closedCasesComplete(env, results.filter((r) => r.ok && r.caseId).map((r) => r.caseId!), settleSeconds * 1000, log);
    log('counting what was lost or doubled…');
    const caseIds = results.map((r) => r.caseId).filter((id): id is string => !!id);
    const report = await count(pg.url, env, caseIds, smtp);
    return {
      ...report,
      cases: results.length,
      reachedEndState: results.filter((r) => r.ok).length,
      failedCases: results.filter((r) => !r.ok).map((r) => ({ caseId: r.caseId ?? `(${r.jurisdiction}, not opened)`, error: r.error ?? '' })),
      kills,
      databaseRestarts,
      stillFinishing: stillFinishing.length,
      settleSeconds,
      unexpectedWorkerExits: worker.unexpectedExits.length,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    finished = true;
    await worker?.stop().catch(() => undefined);
    api?.kill('SIGKILL');
    await watcher?.end().catch(() => undefined);
    await smtp?.close().catch(() => undefined);
    await env?.teardown().catch(() => undefined);
    try {
      pg?.stop();
    } catch {
      // already gone
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Waits until the workflows of cases that reported themselves closed have completed, or `timeoutMs` passed; answers those still running. */
async function closedCasesComplete(env: TestWorkflowEnvironment, caseIds: string[], timeoutMs: number, log: (line: string) => void): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  let running = caseIds;
  while (running.length > 0) {
    const still = await Promise.all(running.map(async (id) => ((await env.client.workflow.getHandle(id).describe()).status.name === 'RUNNING' ? id : undefined)));
    running = still.filter((id): id is string => id !== undefined);
    if (running.length === 0) return [];
    if (Date.now() > until) {
      const { raw } = await env.client.workflow.getHandle(running[0]!).describe();
      const pending = (raw.pendingActivities ?? []).map((a) => `${a.activityType?.name} (attempt ${a.attempt})`).join(', ') || 'no activity';
      log(`  ${running.length} closed cases still finishing their last effects after ${timeoutMs / 1000} s (${running[0]}: ${pending})`);
      return running;
    }
    await sleep(1_000);
  }
  return [];
}

/** About how long the cases take with their kills: each round of `concurrency` cases some 40 s. */
function estimatedSeconds(options: ChaosOptions): number {
  return Math.max(30, Math.ceil(options.cases / options.concurrency) * 40);
}

/** Counts, from the archive, the SMTP server and Temporal, what was lost or doubled. */
async function count(url: string, env: TestWorkflowEnvironment, caseIds: string[], smtp: TestSmtpServer) {
  const db = new PgClient({ connectionString: url });
  await db.connect();
  try {
    const one = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0]?.n ?? 0);
    const notices = await one(`select count(*)::int as n from notifications`);
    // The same notice to the same recipient by the same channel, recorded twice under different keys.
    const duplicateNotices = await one(`select coalesce(sum(c - 1), 0)::int as n from (
      select count(*) as c from notifications group by case_id, recipient_key, channel, subject, body having count(*) > 1) d`);
    const unconfirmedEmails = await one(`select count(*)::int as n from notifications where channel = 'email' and status = 'unconfirmed'`);
    const perDelivery = new Map<string, number>();
    for (const message of smtp.messages) {
      const id = String(message.headers.get('x-rongcuo-delivery') ?? message.messageId);
      perDelivery.set(id, (perDelivery.get(id) ?? 0) + 1);
    }
    const duplicateEmails = [...perDelivery.values()].reduce((sum, n) => sum + (n - 1), 0);

    const documents = (await db.query<{ number: string }>(`select number from documents`)).rows.map((r) => r.number);
    const series = new Map<string, number[]>();
    for (const number of documents) {
      const match = /^(.*)〔(\d{4})〕(\d+)号$/.exec(number);
      if (!match) continue;
      const key = `${match[1]}〔${match[2]}〕`;
      series.set(key, [...(series.get(key) ?? []), Number(match[3])]);
    }
    let duplicateDocumentNumbers = 0;
    let missingDocumentNumbers = 0;
    const taken = new Map((await db.query<{ prefix: string; year: number; last_number: number }>(`select prefix, year, last_number from document_numbers`)).rows.map((r) => [`${r.prefix}〔${r.year}〕`, Number(r.last_number)]));
    for (const [key, numbers] of series) {
      duplicateDocumentNumbers += numbers.length - new Set(numbers).size;
      const last = taken.get(key) ?? Math.max(...numbers);
      for (let n = 1; n <= last; n += 1) if (!numbers.includes(n)) missingDocumentNumbers += 1;
    }

    let closedCases = 0;
    let missingDossiers = 0;
    let workflowTaskFailures = 0;
    let pendingWorkflowTaskFailures = 0;
    for (const caseId of caseIds) {
      const handle = env.client.workflow.getHandle(caseId);
      const description = await handle.describe();
      const history = await handle.fetchHistory();
      workflowTaskFailures += (history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).length;
      if ((description.raw.pendingWorkflowTask?.attempt ?? 0) > 1) pendingWorkflowTaskFailures += 1;
      if (description.status.name !== 'RUNNING') {
        closedCases += 1;
        if ((await one(`select count(*)::int as n from dossiers where case_id = $1`, [caseId])) === 0) missingDossiers += 1;
      }
    }
    return {
      notices,
      emailsReceived: smtp.messages.length,
      duplicateNotices,
      duplicateEmails,
      unconfirmedEmails,
      documents: documents.length,
      duplicateDocumentNumbers,
      missingDocumentNumbers,
      closedCases,
      missingDossiers,
      workflowTaskFailures,
      pendingWorkflowTaskFailures,
    };
  } finally {
    await db.end();
  }
}

