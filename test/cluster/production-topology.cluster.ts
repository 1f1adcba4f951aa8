/**
 * The production topology, run for real (`npm run test:cluster`, not part of
 * `npm test`): PostgreSQL from Debian's packages, the Temporal server built
 * from its Go module on it, three workers on one task queue and the API, all
 * started from docker-compose.yml's settings (scripts/cluster-topology.ts).
 *
 * Cases of all five jurisdictions are taken through their steps over HTTP
 * while one worker is killed (and restarted, as compose's restart policy
 * would) and another is stopped; then while one of the two history and one of
 * the two matching processes of the Temporal server are killed and stay down;
 * then the workers are replaced by a new build whose workflow differs behind
 * patched(), one by one, while cases run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import pg from 'pg';
import { loadOrCreateTokenSecret } from '../../api/token-secret';
import { temporalConnectionOptions, temporalTls } from '../../config/temporal-connection';
import { actionUpdates, calendarUpdatedSignal } from '../../domain/case/contract';
import { Cluster, MAX_TEMPORAL_FRONTEND_PORT, ROOT, temporalPortFamily, type ServiceProcess } from '../../scripts/cluster-topology';
import { mintToken, newCa, newLeaf, newTokenKey } from '../../scripts/pki';
import { signDevToken } from '../../scripts/token';
import { driveFullCase, FULL_PATH_JURISDICTIONS, openFullCase, type FullCaseApi, type OpenedCase } from '../support/full-cases';
import { buildNextRelease, NEXT_BUILD_PATCH } from './next-build';
import { freePort } from '../support/ports';

const EventType = temporal.api.enums.v1.EventType;
const CASES_PER_JURISDICTION = 3;
/** Two cases a jurisdiction: with 512 shards on two history processes, the chance that none of ten lives on the killed one is 1 in 1,024. */
const NODE_LOSS_PER_JURISDICTION = 2;

let cluster: Cluster;
let client: Client;
let connection: Connection;
let db: pg.Pool;
let api: FullCaseApi;
let tmp: string;
const started = Date.now();
const figures: Record<string, unknown> = {};


async function portsFree(ports: number[]): Promise<boolean> {
  for (const port of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (!free) return false;
  }
  return true;
}

/** A frontend port whose whole family (history, matching, membership…) is free. */
async function freeTemporalPort(): Promise<number> {
  for (let tries = 0; tries < 50; tries += 1) {
    const base = 21_000 + Math.floor(Math.random() * (MAX_TEMPORAL_FRONTEND_PORT - 21_000));
    if (await portsFree(temporalPortFamily(base))) return base;
  }
  throw new Error('no free ports for the Temporal server');
}

/** The step counter every driven case advances, so the test can act "in the middle" of the traffic. */
let stepsTaken = 0;
const stepWaiters: { at: number; resolve: () => void }[] = [];
function countStep(): void {
  stepsTaken += 1;
  for (const w of stepWaiters.filter((w) => stepsTaken >= w.at)) {
    stepWaiters.splice(stepWaiters.indexOf(w), 1);
    w.resolve();
  }
}
function afterSteps(n: number): Promise<void> {
  const at = stepsTaken + n;
  return stepsTaken >= at ? Promise.resolve() : new Promise((resolve) => stepWaiters.push({ at, resolve }));
}

async function openCases(round: string, perJurisdiction: number): Promise<OpenedCase[]> {
  const opened: OpenedCase[] = [];
  for (let i = 0; i < perJurisdiction; i += 1) {
    for (const jurisdiction of FULL_PATH_JURISDICTIONS) opened.push(await openFullCase(api, jurisdiction, { actorId: `${round}-${jurisdiction}-${i}` }));
  }
  return opened;
}

async function histories(): Promise<Map<string, temporal.api.history.v1.IHistoryEvent[]>> {
  const all = new Map<string, temporal.api.history.v1.IHistoryEvent[]>();
  for await (const execution of client.workflow.list({ query: 'WorkflowType = "exemptionReview"' })) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    all.set(execution.workflowId, history.events ?? []);
  }
  return all;
}

const buildIdsOf = (events: temporal.api.history.v1.IHistoryEvent[]) =>
  new Set(events.flatMap((e) => (e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ? [e.workflowTaskCompletedEventAttributes.deploymentVersion.buildId] : [])));

const hasPatchMarker = (events: temporal.api.history.v1.IHistoryEvent[], patchId: string) =>
  events.some((e) =>
    Object.values(e.markerRecordedEventAttributes?.details ?? {}).some((p) => (p.payloads ?? []).some((x) => Buffer.from(x.data ?? []).toString('utf8').includes(patchId))),
  );

async function currentBuildId(): Promise<string | undefined> {
  const res = await client.workflowService.describeWorkerDeployment({ namespace: cluster.namespace, deploymentName: cluster.deploymentName! });
  return res.workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId ?? undefined;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-cluster-'));
  // PostgreSQL runs as the postgres user, which must reach its data folder inside.
  fs.chmodSync(tmp, 0o755);
  cluster = await Cluster.start({
    dataDir: path.join(tmp, 'cluster'),
    workers: 3,
    ports: { postgres: await freePort(), api: await freePort(), temporal: await freeTemporalPort() },
    say: (line) => process.stdout.write(`[cluster] +${Math.round((Date.now() - started) / 1000)} s ${line}\n`),
  });
  ({ client, connection } = await cluster.client());
  db = new pg.Pool({ connectionString: cluster.databaseUrl, max: 2 });
  const secret = loadOrCreateTokenSecret(cluster.appDataDir);
  api = { baseUrl: cluster.apiUrl, sign: (claims) => signDevToken(secret, claims), stepTimeoutMs: 240_000 };
  figures.startupSeconds = Math.round((Date.now() - started) / 1000);
}, 600_000);

afterAll(async () => {
  await connection?.close();
  await db?.end();
  await cluster?.stop();
  figures.totalSeconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`[cluster-test] figures ${JSON.stringify(figures)}\n`);
  if (tmp && !process.env.KEEP_CLUSTER_DATA) fs.rmSync(tmp, { recursive: true, force: true });
}, 300_000);

describe('three workers on one task queue, one killed and one stopped in the middle', () => {
  let cases: OpenedCase[];
  let killed: ServiceProcess;
  let stopped: ServiceProcess;

  it('takes every case of all five jurisdictions to its end', async () => {
    const t0 = Date.now();
    cases = await openCases('crash', CASES_PER_JURISDICTION);
    const total = cases.reduce((n, c) => n + c.path.steps.length, 0);
    [killed, stopped] = cluster.workers as [ServiceProcess, ServiceProcess];
    let stopping: Promise<{ graceful: boolean }> | undefined;
    // A third of the way in, a worker dies as in a crash; at two thirds another is stopped as `docker compose stop` would.
    const disruptions = (async () => {
      await afterSteps(Math.floor(total / 3));
      killed.kill();
      await afterSteps(Math.floor(total / 3));
      stopping = stopped.stop();
    })();
    const finals = await Promise.all(cases.map((c) => driveFullCase(c, { beforeStep: countStep })));
    await disruptions;
    const stop = await stopping!;

    expect(finals.map((s) => [s.caseId, s.closed, s.outcome])).toEqual(cases.map((c) => [c.caseId, true, c.path.outcome]));
    expect(finals.map((s) => s.documents.map((d) => d.kind))).toEqual(cases.map((c) => c.path.documents));
    // The killed worker came back by the restart policy; the stopped one drained within its grace period and stayed down.
    expect(killed.restarts).toBe(1);
    expect(stop.graceful).toBe(true);
    expect(stopped.restarts).toBe(0);
    Object.assign(figures, { crashCases: cases.length, crashSteps: total, killed: 1, stoppedGracefully: 1, crashSeconds: Math.round((Date.now() - t0) / 1000) });
  });

  it('sends each notice once: every case of a jurisdiction got the same notices, none twice', async () => {
    const rows = (
      await db.query<{ case_id: string; recipient: unknown; channel: string; subject: string; body: string }>(
        'select case_id, recipient, channel, subject, body from notifications where case_id = any($1)',
        [cases.map((c) => c.caseId)],
      )
    ).rows;
    const doubled = new Map<string, number>();
    for (const r of rows) {
      const key = JSON.stringify([r.case_id, r.recipient, r.channel, r.subject, r.body]);
      doubled.set(key, (doubled.get(key) ?? 0) + 1);
    }
    expect([...doubled].filter(([, n]) => n > 1)).toEqual([]);
    for (const jurisdiction of FULL_PATH_JURISDICTIONS) {
      const perCase = cases
        .filter((c) => c.path.jurisdiction === jurisdiction)
        .map((c) =>
          rows
            .filter((r) => r.case_id === c.caseId)
            .map((r) => JSON.stringify([r.recipient, r.channel, r.subject.replaceAll(c.caseId, '<case>')]))
            .sort(),
        );
      expect(perCase[0]!.length).toBeGreaterThan(0);
      for (const other of perCase.slice(1)) expect([jurisdiction, other]).toEqual([jurisdiction, perCase[0]]);
    }
    figures.notices = rows.length;
  });

  it('numbers the documents of each prefix and year 1, 2, 3… with none doubled or skipped', async () => {
    const rows = (await db.query<{ number: string; case_id: string }>('select number, case_id from documents')).rows;
    const byPrefix = new Map<string, number[]>();
    for (const { number } of rows) {
      const m = /^(.+)〔(\d{4})〕(\d+)号$/.exec(number);
      expect([number, m !== null]).toEqual([number, true]);
      const key = `${m![1]}〔${m![2]}〕`;
      byPrefix.set(key, [...(byPrefix.get(key) ?? []), Number(m![3])]);
    }
    for (const [prefix, numbers] of byPrefix) {
      expect([prefix, numbers.sort((a, b) => a - b)]).toEqual([prefix, numbers.map((_, i) => i + 1)]);
    }
    const expected = cases.reduce((n, c) => n + c.path.documents.length, 0);
    expect(rows.length).toBe(expected);
    figures.documents = rows.length;
  });

  it('keeps the dossier of every closed case in the archive', async () => {
    const deadline = Date.now() + 60_000;
    let dossiers: { case_id: string; outcome: string; closed: boolean }[] = [];
    // The dossier is written by the workflow's last activity, just after the case reports itself closed.
    while (Date.now() < deadline) {
      dossiers = (await db.query('select case_id, outcome, (state->>\'closed\')::boolean as closed from dossiers where case_id = any($1) order by case_id', [cases.map((c) => c.caseId)])).rows;
      if (dossiers.length === cases.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(dossiers).toEqual(cases.map((c) => ({ case_id: c.caseId, outcome: c.path.outcome, closed: true })).sort((a, b) => a.case_id.localeCompare(b.case_id)));
  });
});

describe('a lost Temporal node: one history and one matching process killed', () => {
  it('takes every case to its end on the processes left, while the two stay down', async () => {
    const t0 = Date.now();
    const histories = cluster.processesOf('temporal-history');
    const matchings = cluster.processesOf('temporal-matching');
    expect([histories.length, matchings.length]).toEqual([2, 2]);
    const [history, matching] = [histories[0]!, matchings[0]!];
    const cases = await openCases('node', NODE_LOSS_PER_JURISDICTION);
    const total = cases.reduce((n, c) => n + c.path.steps.length, 0);
    let stepsAtKill = 0;
    let killedAt = 0;
    const lost = (async () => {
      await afterSteps(Math.floor(total / 3));
      stepsAtKill = stepsTaken;
      killedAt = Date.now();
      await Promise.all([history.killForGood(), matching.killForGood()]);
    })();
    const finals = await Promise.all(cases.map((c) => driveFullCase(c, { beforeStep: countStep })));
    await lost;
    expect(finals.map((s) => [s.caseId, s.closed, s.outcome])).toEqual(cases.map((c) => [c.caseId, true, c.path.outcome]));
    expect(finals.map((s) => s.documents.map((d) => d.kind))).toEqual(cases.map((c) => c.path.documents));
    // Down all along: the cases went on on the other history and matching process alone.
    expect([history.exited, matching.exited, history.restarts, matching.restarts]).toEqual([true, true, 0, 0]);
    const after = stepsTaken - stepsAtKill;
    expect(after).toBeGreaterThan(total / 2);
    Object.assign(figures, { nodeLossCases: cases.length, nodeLossSteps: total, stepsAfterNodeLoss: after, secondsAfterNodeLoss: Math.round((Date.now() - killedAt) / 1000), nodeLossSeconds: Math.round((Date.now() - t0) / 1000) });
    // Back, as the restart policy would bring them, for what follows.
    history.start();
    matching.start();
  });
});

describe('a rolling upgrade to a build whose workflow changed behind patched()', () => {
  let cases: OpenedCase[];
  let oldBuild: string;
  let newBuild: string;
  const stops: { name: string; graceful: boolean }[] = [];

  it('moves running cases to the new build while the old workers drain one by one, with no failed workflow task', async () => {
    const t0 = Date.now();
    // Back to three workers of the current build, as `docker compose start` would bring the stopped one back.
    cluster.startWorker();
    const old = cluster.workers.filter((w) => !w.exited);
    await cluster.waitForPollers(old.length, old);
    oldBuild = (await currentBuildId())!;

    cases = await openCases('upgrade', 2);
    const middle = (c: OpenedCase) => Math.floor(c.path.steps.length / 2);
    await Promise.all(cases.map((c) => driveFullCase(c, { to: middle(c), beforeStep: countStep })));

    // The new release, built and started beside the old workers: it polls, but the server gives it no work yet.
    const root = buildNextRelease(ROOT, path.join(tmp, 'next'));
    const next = [1, 2, 3].map(() => cluster.startWorker({ root, label: 'next' }));
    await cluster.waitForPollers(3, next);
    expect(await currentBuildId()).toBe(oldBuild);

    // Each case's last step waits for the switch, so every case takes at least one step on the new build.
    let switched!: () => void;
    const switchedOver = new Promise<void>((resolve) => (switched = resolve));
    const finishing = Promise.all(
      cases.map((c) =>
        driveFullCase(c, {
          from: middle(c),
          beforeStep: async (step) => {
            countStep();
            if (step.index === c.path.steps.length - 1) await switchedOver;
          },
        }),
      ),
    );
    await afterSteps(3);
    const versions = await client.workflowService.describeWorkerDeployment({ namespace: cluster.namespace, deploymentName: cluster.deploymentName! });
    newBuild = versions.workerDeploymentInfo!.versionSummaries!.map((v) => v.deploymentVersion!.buildId!).find((id) => id !== oldBuild)!;
    // The operator's step (README): make the new build current. Cases move at their next workflow task.
    // As the operator: the admin certificate, its token in the environment (README).
    const operator = cluster.operatorCli();
    const cli = spawnSync(
      operator.command,
      ['worker', 'deployment', 'set-current-version', ...operator.args, '--deployment-name', cluster.deploymentName!, '--build-id', newBuild, '--yes'],
      { encoding: 'utf8', env: operator.env },
    );
    expect({ status: cli.status, output: `${cli.stdout}${cli.stderr}` }).toMatchObject({ status: 0 });
    switched();
    for (const worker of old) {
      await Promise.race([afterSteps(3), finishing]);
      stops.push({ name: worker.name, ...(await worker.stop()) });
    }
    const finals = await finishing;

    expect(finals.map((s) => [s.caseId, s.closed, s.outcome])).toEqual(cases.map((c) => [c.caseId, true, c.path.outcome]));
    expect(stops.map((s) => s.graceful)).toEqual(old.map(() => true));
    expect(await currentBuildId()).toBe(newBuild);
    Object.assign(figures, { upgradeCases: cases.length, oldBuild, newBuild, oldWorkersDrained: stops.length, upgradeSeconds: Math.round((Date.now() - t0) / 1000) });
  });

  it('ran each of those cases on both builds, the new code taking the patched path', async () => {
    const all = await histories();
    for (const c of cases) {
      const events = all.get(c.caseId)!;
      expect([c.caseId, [...buildIdsOf(events)].sort()]).toEqual([c.caseId, [oldBuild, newBuild].sort()]);
      expect([c.caseId, hasPatchMarker(events, NEXT_BUILD_PATCH)]).toEqual([c.caseId, true]);
    }
    figures.casesMovedBetweenBuilds = cases.length;
  });

  it('failed no workflow task in any case history, through the worker kill, the stop, the lost node and the upgrade', async () => {
    const all = await histories();
    const count = (type: number) => [...all.values()].reduce((n, events) => n + events.filter((e) => e.eventType === type).length, 0);
    const failed = count(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    Object.assign(figures, {
      casesInTemporal: all.size,
      workflowTasksCompleted: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
      workflowTasksTimedOut: count(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT),
      workflowTasksFailed: failed,
      // Activities a killed worker held, run again elsewhere once their timeout passed.
      activitiesRetried: [...all.values()].reduce((n, events) => n + events.filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1).length, 0),
    });
    expect(all.size).toBe((CASES_PER_JURISDICTION + NODE_LOSS_PER_JURISDICTION) * FULL_PATH_JURISDICTIONS.length + cases.length);
    expect(failed).toBe(0);
  });
});

/** The CLI as someone holding `credentials` would run it, and what it said. */
function cli(args: string[], credentials: Parameters<Cluster['operatorCli']>[0], apiKey?: string): { status: number | null; output: string } {
  const run = cluster.operatorCli(credentials);
  const env = { ...run.env, ...(apiKey ? { TEMPORAL_API_KEY: apiKey } : {}) };
  const result = spawnSync(run.command, [...args, ...run.args], { encoding: 'utf8', env, timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the Temporal frontend takes only callers with this deployment’s certificate, and writes only with a token', () => {
  let t0 = 0;
  beforeAll(() => {
    t0 = Date.now();
  });

  it('refuses a client without TLS, without a certificate, or with a certificate of another CA', async () => {
    const api = cluster.temporalCredentials('api');
    const tls = temporalTls(api)!;
    const stranger = newLeaf(newCa('someone else’s CA', 30), { commonName: 'rongcuo-worker', usage: 'client', days: 30 });
    const attempts = {
      plaintext: { address: cluster.temporalAddress },
      'TLS without a client certificate': { address: cluster.temporalAddress, tls: { serverRootCACertificate: tls.serverRootCACertificate!, serverNameOverride: 'temporal' } },
      'a certificate of another CA': {
        address: cluster.temporalAddress,
        tls: { ...tls, clientCertPair: { crt: Buffer.from(stranger.certPem), key: Buffer.from(stranger.keyPem) } },
      },
    };
    const outcomes: Record<string, string> = {};
    for (const [what, options] of Object.entries(attempts)) {
      outcomes[what] = await Connection.connect({ ...options, connectTimeout: 5_000 }).then(
        async (c) => {
          // A connection can open before the handshake's verdict reaches the client: a call settles it.
          const answer = await c.workflowService.describeNamespace({ namespace: cluster.namespace }).then(() => 'answered', (err: Error) => `refused: ${err.message.split('\n')[0]}`);
          await c.close();
          return answer;
        },
        (err: Error) => `refused: ${err.message.split('\n')[0]}`,
      );
    }
    expect(Object.fromEntries(Object.entries(outcomes).map(([k, v]) => [k, v.startsWith('refused')]))).toEqual({ plaintext: true, 'TLS without a client certificate': true, 'a certificate of another CA': true });
    // The API's own certificate and token do connect: the refusals are the frontend's, not a broken set-up.
    const own = await Connection.connect(temporalConnectionOptions(api));
    try {
      expect((await own.workflowService.describeNamespace({ namespace: cluster.namespace })).namespaceInfo?.name).toBe(cluster.namespace);
      // Least privilege: the API's token writes cases, but is no admin of the namespace.
      const admin = await own.operatorService.addSearchAttributes({ namespace: cluster.namespace, searchAttributes: { IntruderAttribute: 1 } }).then(() => 'allowed', (err: { code?: number }) => err.code);
      expect(admin).toBe(7); // PERMISSION_DENIED
    } finally {
      await own.close();
    }
    figures.frontendRefusals = outcomes;
  });

  it('refuses a step sent with the CLI and a certificate but no token (or a forged one); the case is unchanged and runs on through the API', async () => {
    const opened = await openFullCase(api, 'binhai', { actorId: 'frontend-check' });
    const handle = client.workflow.getHandle(opened.caseId);
    // A new case is still at work (its first tasks and activities): compare from when it waits for a person.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { raw } = await handle.describe();
      if ((raw.pendingActivities ?? []).length === 0 && !raw.pendingWorkflowTask) break;
      if (Date.now() > deadline) throw new Error(`${opened.caseId} did not come to rest within 60 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const before = (await handle.fetchHistory()).events ?? [];
    const worker = cluster.temporalCredentials('worker');
    const noToken = { ...worker, TEMPORAL_TOKEN_FILE: undefined };
    const forgedToken = await mintToken(newTokenKey(), { subject: 'rongcuo-admin', permissions: [`${cluster.namespace}:admin`], expires: new Date(Date.now() + 3_600_000) });
    const step = ['--workflow-id', opened.caseId, '--input', JSON.stringify({ actor: { id: 'made-up', name: 'made-up', roles: ['officer'] } })];
    const attempts = {
      'update, no token': cli(['workflow', 'update', 'execute', '--name', actionUpdates.fileApplication.name, ...step], noToken),
      'signal, no token': cli(['workflow', 'signal', '--name', calendarUpdatedSignal.name, ...step], noToken),
      'update, forged token': cli(['workflow', 'update', 'execute', '--name', actionUpdates.fileApplication.name, ...step], noToken, forgedToken),
    };
    for (const [what, result] of Object.entries(attempts)) {
      expect([what, result.status === 0, /Request unauthorized|PermissionDenied|permission denied/i.test(result.output)]).toEqual([what, false, true]);
    }
    // The operator's certificate and token read the case: the refusals were the authorizer's.
    expect(cli(['workflow', 'describe', '--workflow-id', opened.caseId], cluster.temporalCredentials('temporal-setup'))).toMatchObject({ status: 0 });
    const after = (await handle.fetchHistory()).events ?? [];
    expect(after.length).toBe(before.length);
    expect(after.filter((e) => e.workflowExecutionSignaledEventAttributes || e.workflowExecutionUpdateAdmittedEventAttributes || e.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);
    const final = await driveFullCase(opened);
    expect([final.closed, final.outcome]).toEqual([true, opened.path.outcome]);
    figures.cliRefusals = Object.fromEntries(Object.entries(attempts).map(([k, v]) => [k, /Request unauthorized/.exec(v.output)?.[0] ?? v.output.trim().split('\n').at(-1)]));
    figures.frontendChecksSeconds = Math.round((Date.now() - t0) / 1000);
  });
});

describe('PostgreSQL keeps Temporal, the archive’s owner and the app apart', () => {
  const sqlState = (sql: string, url: string) =>
    (async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(sql);
        return 'done';
      } catch (err) {
        return (err as { code?: string }).code ?? (err as Error).message;
      } finally {
        await c.end();
      }
    })();
  const connectState = (url: string) =>
    (async () => {
      const c = new pg.Client({ connectionString: url });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.end();
        return 'connected';
      } catch (err) {
        return (err as { code?: string }).code ?? (err as Error).message;
      }
    })();
  const withDatabase = (url: string, database: string) => Object.assign(new URL(url), { pathname: `/${database}` }).toString();

  it('gives the API a role that reads and writes rows, but cannot create, change or drop a table', async () => {
    const url = cluster.appEnv('api').DATABASE_URL!;
    expect(new URL(url).username).toBe('rongcuo_app');
    const outcomes = {
      select: await sqlState('select count(*) from notifications', url),
      'create table': await sqlState('create table intruder (id integer)', url),
      'drop table': await sqlState('drop table notifications', url),
      'alter table': await sqlState('alter table documents add column intruder text', url),
      truncate: await sqlState('truncate documents', url),
      'create schema': await sqlState('create schema intruder', url),
      // 42501: insufficient_privilege
    };
    expect(outcomes).toEqual({ select: 'done', 'create table': '42501', 'drop table': '42501', 'alter table': '42501', truncate: '42501', 'create schema': '42501' });
    // Nor can it reach Temporal's databases; nor Temporal's role the archive.
    expect(await connectState(withDatabase(url, 'temporal'))).toBe('42501');
    const temporalEnv = cluster.compose.services.temporal!.environment;
    const temporalUrl = `postgres://${temporalEnv.POSTGRES_USER}:${encodeURIComponent(temporalEnv.POSTGRES_PWD!)}@127.0.0.1:${cluster.ports.postgres}/rongcuo`;
    expect(await connectState(temporalUrl)).toBe('42501');
    expect(await connectState(withDatabase(temporalUrl, 'temporal'))).toBe('connected');
    figures.postgresRoles = outcomes;
  });
});
