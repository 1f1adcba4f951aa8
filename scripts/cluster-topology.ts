/**
 * The production topology of docker-compose.yml as processes on one machine,
 * without Docker: PostgreSQL from Debian's packages, the schema job, the real
 * Temporal server built from its Go module, the set-up job, N workers and the
 * API. Every setting comes from docker-compose.yml, .env, config/temporal/ and
 * the Dockerfile's ENV (scripts/compose-settings.ts); what this file adds is
 * only what Docker would: service names become 127.0.0.1, container ports
 * become free ports here, image paths become the installed tools, and the
 * restart and stop policies compose states are carried out here.
 *
 * Used by `npm run cluster` (scripts/cluster.ts) and the cluster test
 * (test/cluster/), which kills and replaces workers through it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { temporalConnectionOptions, type TemporalTlsSettings } from '../config/temporal-connection';
import { loadOrCreateTokenSecret } from '../api/token-secret';
import { ALL_SEARCH_ATTRIBUTES } from '../domain/case/contract';
import { caseDataConverter } from '../services/codec/codec';
import { formatPayloadKeys, loadOrCreatePayloadKeys, loadOrCreateSearchTermsKey, parsePayloadKeys, payloadKeyring } from '../services/codec/keys';
import {
  BACKUP_FILES,
  backUpSecrets,
  copyWalArchive,
  postgresVersion,
  readManifest,
  restoreBaseBackup,
  restoreCommand,
  restoreSecrets,
  switchWal,
  takeBaseBackup,
  writeManifest,
  type BackupManifest,
} from './cluster-backup';
import { dockerfileEnv, durationMs, loadCompose, readDotenv, type Compose, type ComposeService } from './compose-settings';

export const ROOT = path.resolve(__dirname, '..', fs.existsSync(path.resolve(__dirname, '..', 'package.json')) ? '' : '..');

/** The Temporal server's services, each its own processes, in the order they start (history first: the others need its shards). */
export const TEMPORAL_SERVICES = ['temporal-history', 'temporal-matching', 'temporal', 'temporal-internal-frontend', 'temporal-worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];
/** The order compose's depends_on conditions give; the stop order is the reverse. */
export const START_ORDER = ['postgres', 'postgres-roles', 'temporal-pki', 'temporal-schema', ...TEMPORAL_SERVICES, 'temporal-setup', 'archive-migrate', 'worker', 'api'] as const;
/** Compose's jobs: run to completion, in START_ORDER, before what depends on them. */
export const JOBS = ['postgres-roles', 'temporal-pki', 'temporal-schema', 'temporal-setup', 'archive-migrate'] as const;
type Job = (typeof JOBS)[number];
/** Not run here: the UI is a separate web application (compose's temporal-ui image); the CLI and the API serve ops instead. */
export const NOT_RUN = ['temporal-ui'] as const;

export interface ClusterPorts {
  postgres: number;
  /** The frontend's gRPC port; the other services' ports follow it as in the server's defaults (7233: 7234, 7235, 7239, 6933…). */
  temporal: number;
  api: number;
}
/** Beside `npm start` (7233, 3000) and scripts/test-postgres.sh (55432), so all three can run at once. */
export const DEFAULT_PORTS: ClusterPorts = { postgres: 55433, temporal: 17233, api: 13000 };

/** A second process of a service takes its ports this far above the first's (7234: 7254). */
export const INSTANCE_PORT_STEP = 20;
/** At most this many processes of one Temporal service here. */
export const MAX_INSTANCES = 2;

/**
 * The highest frontend port the server can run on: it records its membership ports (the frontend's
 * less 300 to less 294, a second process's INSTANCE_PORT_STEP above) in PostgreSQL as a smallint, so
 * those must stay at most 32767.
 */
export const MAX_TEMPORAL_FRONTEND_PORT = 32_767 + 294 - INSTANCE_PORT_STEP * (MAX_INSTANCES - 1);

/** The server's configuration template reads its ports from these; offsets as in its defaults. */
export function temporalPortEnv(frontend: number): Record<string, string> {
  const ports = {
    FRONTEND_GRPC_PORT: frontend,
    HISTORY_GRPC_PORT: frontend + 1,
    MATCHING_GRPC_PORT: frontend + 2,
    WORKER_GRPC_PORT: frontend + 6,
    FRONTEND_HTTP_PORT: frontend + 10,
    INTERNAL_FRONTEND_GRPC_PORT: frontend + 3,
    INTERNAL_FRONTEND_HTTP_PORT: frontend + 13,
    FRONTEND_MEMBERSHIP_PORT: frontend - 300,
    HISTORY_MEMBERSHIP_PORT: frontend - 299,
    MATCHING_MEMBERSHIP_PORT: frontend - 298,
    INTERNAL_FRONTEND_MEMBERSHIP_PORT: frontend - 297,
    WORKER_MEMBERSHIP_PORT: frontend - 294,
  };
  return Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)]));
}

/** The port variables of each service's own listeners (the prefix of its *_GRPC_PORT, *_MEMBERSHIP_PORT, *_HTTP_PORT). */
const PORT_PREFIX: Record<TemporalService, string> = {
  temporal: 'FRONTEND',
  'temporal-internal-frontend': 'INTERNAL_FRONTEND',
  'temporal-history': 'HISTORY',
  'temporal-matching': 'MATCHING',
  'temporal-worker': 'WORKER',
};

/**
 * The ports of process `instance` (0, 1…) of a Temporal service: the first's as temporalPortEnv gives
 * them, a later one's own listeners INSTANCE_PORT_STEP higher each. In containers every process has an
 * address of its own and the defaults; on one machine they differ by port. The cluster's own address
 * (CLUSTER_RPC_ADDRESS) stays the first frontend's in every process, as its metadata records it.
 */
export function temporalInstancePortEnv(frontend: number, service: TemporalService, instance: number): Record<string, string> {
  const env = temporalPortEnv(frontend);
  const prefix = PORT_PREFIX[service];
  for (const key of Object.keys(env)) {
    if (/^(.+)_(GRPC|MEMBERSHIP|HTTP)_PORT$/.exec(key)?.[1] === prefix) env[key] = String(Number(env[key]) + INSTANCE_PORT_STEP * instance);
  }
  return { ...env, CLUSTER_RPC_ADDRESS: `127.0.0.1:${frontend}`, CLUSTER_HTTP_ADDRESS: `127.0.0.1:${frontend + 10}` };
}

/** Every port the Temporal processes here may take, for a frontend port. */
export function temporalPortFamily(frontend: number): number[] {
  const ports = new Set<number>();
  for (const service of TEMPORAL_SERVICES) {
    for (let i = 0; i < MAX_INSTANCES; i += 1) {
      for (const [key, value] of Object.entries(temporalInstancePortEnv(frontend, service, i))) if (key.endsWith('_PORT')) ports.add(Number(value));
    }
  }
  return [...ports];
}

/**
 * How many processes of each Temporal service run here: compose's replicas, but on a machine of fewer
 * than 4 cores (the 2-core development machine and CI) only history and matching run two, the
 * services whose loss the cluster test shows; the frontend, the internal frontend and the worker
 * service run one each, since each process costs its own pools, caches and membership traffic.
 */
export function localReplicas(service: TemporalService, composeReplicas: number, cores: number): number {
  const wanted = Math.min(composeReplicas, MAX_INSTANCES);
  if (cores >= 4) return wanted;
  return service === 'temporal-history' || service === 'temporal-matching' ? wanted : 1;
}

/**
 * A compose service's environment as a process here gets it: Docker's names and
 * paths made local, nothing else changed. Service hosts become 127.0.0.1,
 * container ports the ports chosen here, bind-mounted and image paths the
 * checkout's files and the installed tools, named volumes folders of their
 * own under `volumesDir`; the Dockerfile's ENV comes first for services built
 * from it, as in the image.
 */
export interface LocalPlaces {
  ports: ClusterPorts;
  serverDir: string;
  appDataDir: string;
  volumesDir: string;
}

/** Container paths of a service (its mounts, the image's tools and data) and where they are here, the most specific first. */
function mountPaths(service: ComposeService, where: LocalPlaces): [string, string][] {
  const paths: [string, string][] = [
    // Where the admin-tools image keeps the schema files, and where scripts/install-temporal-server.mjs put them.
    ['/etc/temporal/schema', path.join(where.serverDir, 'schema')],
    ...(service.volumes ?? [])
      .map((v) => v.split(':'))
      .map(([source, container]) => [container!, source!.startsWith('./') ? path.join(ROOT, source!) : path.join(where.volumesDir, source!)] as [string, string]),
    ['/app/data', where.appDataDir],
  ];
  // The most specific mount first, as Docker resolves nested mounts.
  return paths.sort(([a], [b]) => b.length - a.length);
}

/** A container path (or a file:// URL of one), as the same file here. */
function localPath(value: string, paths: [string, string][]): string {
  const scheme = value.startsWith('file://') ? 'file://' : '';
  const rest = value.slice(scheme.length);
  for (const [container, host] of paths) {
    if (rest === container || rest.startsWith(`${container}/`)) return scheme + host + rest.slice(container.length);
  }
  return value;
}

/** A job's command line with its container paths made local (psql's file of compose's postgres-roles). */
export function localArgs(service: ComposeService, where: LocalPlaces, args: string[]): string[] {
  const paths = mountPaths(service, where);
  return args.map((a) => localPath(a, paths));
}

export function localEnvironment(service: ComposeService, where: LocalPlaces): Record<string, string> {
  const hostPorts: Record<string, string> = { 'postgres:5432': `127.0.0.1:${where.ports.postgres}`, 'temporal:7233': `127.0.0.1:${where.ports.temporal}` };
  const portVars: Record<string, number> = { DB_PORT: where.ports.postgres, SQL_PORT: where.ports.postgres, PGPORT: where.ports.postgres, API_PORT: where.ports.api };
  const paths = mountPaths(service, where);
  const env: Record<string, string> = {};
  for (const [key, raw] of Object.entries({ ...(service.build ? dockerfileEnv(ROOT) : {}), ...service.environment })) {
    let value = raw;
    const hostVar = /(_SEEDS|HOST)$/.test(key);
    if (key in portVars) value = String(portVars[key]);
    else if (hostVar && (value === 'postgres' || value === 'temporal')) value = '127.0.0.1';
    else if (hostVar && value === '0.0.0.0') value = '127.0.0.1'; // only this machine's loopback: nothing here listens outward
    else value = value.replace(/\b(postgres|temporal):(\d+)\b/g, (m) => hostPorts[m] ?? m);
    env[key] = localPath(value, paths);
  }
  return env;
}

export interface ClusterOptions {
  /** Where PostgreSQL's data, logs and the app's DATA_DIR live. */
  dataDir: string;
  workers: number;
  ports?: Partial<ClusterPorts>;
  /** The operator's environment for compose's ${…} (POSTGRES_PASSWORD, TOKEN_SECRET, …); process.env by default. */
  vars?: Record<string, string | undefined>;
  say?: (line: string) => void;
  /**
   * A backup (scripts/cluster-backup.ts) to start from, into a data folder with no cluster yet: its
   * secrets and credentials, then PostgreSQL from its base backup and archived WAL.
   */
  restoreFrom?: string;
  /** Processes of each Temporal service; by default localReplicas of compose's replicas for this machine's cores. */
  temporalReplicas?: Partial<Record<TemporalService, number>>;
}

type StopSignal = 'SIGTERM' | 'SIGINT';

/** One process of a compose service, restarted as its restart policy says until it is stopped. */
export class ServiceProcess {
  child!: ChildProcess;
  restarts = 0;
  private stopping = false;
  private exitWaiters: (() => void)[] = [];
  exited = false;

  constructor(
    readonly name: string,
    private readonly spec: { command: string; args: string[]; cwd: string; env: Record<string, string>; uid?: number; gid?: number },
    readonly logFile: string,
    readonly restartPolicy: string | undefined,
    readonly stopGraceMs: number,
    readonly stopSignal: StopSignal,
    private readonly say: (line: string) => void,
  ) {
    this.launch();
  }

  get pid(): number {
    return this.child.pid!;
  }

  private launchedAt = 0;
  private restartDelayMs = 500;

  private launch(): void {
    const log = fs.openSync(this.logFile, 'a');
    this.exited = false;
    this.launchedAt = Date.now();
    // A process group of its own: a Ctrl-C in the terminal reaches only the cluster, which stops everything in order.
    this.child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', log, log],
      detached: true,
      uid: this.spec.uid,
      gid: this.spec.gid,
    });
    fs.closeSync(log);
    const child = this.child;
    child.once('exit', (code, signal) => {
      if (child !== this.child) return;
      this.exited = true;
      for (const resolve of this.exitWaiters.splice(0)) resolve();
      if (this.stopping) return;
      if (this.restartPolicy === 'unless-stopped' || this.restartPolicy === 'always') {
        this.restarts += 1;
        // As Docker does: the delay doubles while the process keeps dying young, and starts again once it ran 10 s.
        this.restartDelayMs = Date.now() - this.launchedAt > 10_000 ? 1000 : Math.min(this.restartDelayMs * 2, 30_000);
        this.say(`${this.name} exited (${signal ?? `code ${code}`}); restarting in ${this.restartDelayMs / 1000} s (restart: ${this.restartPolicy})`);
        setTimeout(() => {
          if (!this.stopping) this.launch();
        }, this.restartDelayMs);
      } else {
        this.say(`${this.name} exited (${signal ?? `code ${code}`}); see ${this.logFile}`);
      }
    });
  }

  /** Down for good: exited with no restart coming, or still dying after `restarts` restarts (a crash loop, not a hiccup). */
  downFor(restarts: number): string | undefined {
    const restarting = this.restartPolicy === 'unless-stopped' || this.restartPolicy === 'always';
    if (!this.exited || (restarting && this.restarts <= restarts)) return undefined;
    return `exited${this.restarts > 0 ? ` after ${this.restarts} restarts` : ''}; see ${this.logFile}`;
  }

  waitExit(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** As a crash would: no drain. The restart policy then applies, as Docker's would. */
  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** A node lost: killed as in a crash, and not restarted until `start()`. */
  async killForGood(): Promise<void> {
    this.stopping = true;
    if (this.exited) return;
    this.child.kill('SIGKILL');
    await this.waitExit();
  }

  /** Back after `stop()` or `killForGood()`, as `docker compose start` would bring it. */
  start(): void {
    if (!this.exited) return;
    this.stopping = false;
    this.launch();
  }

  /** As `docker compose stop` does: the stop signal, then SIGKILL after the stop grace period; not restarted. */
  async stop(): Promise<{ graceful: boolean }> {
    this.stopping = true;
    if (this.exited) return { graceful: true };
    this.child.kill(this.stopSignal);
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([this.waitExit().then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), this.stopGraceMs)))]);
    clearTimeout(timer);
    if (!graceful) {
      this.child.kill('SIGKILL');
      await this.waitExit();
    }
    return { graceful };
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, died?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    const why = died?.();
    if (why) throw new Error(`${what}: ${why}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
}

function secretFile(file: string): string {
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600, flag: 'wx' });
  return fs.readFileSync(file, 'utf8').trim();
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  // PostgreSQL refuses to run as root; Debian's package created this user.
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, but there is no postgres user to run PostgreSQL as (apt-get install postgresql)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Where PostgreSQL keeps its data: in the data folder, unless its user cannot
 * enter it (a clone under /root, whose mode is 0700); then in a folder of its
 * own beside Debian's clusters, named after the data folder, so the next run
 * finds it again. A link in the data folder says where it went.
 */
export function postgresDataDir(dataDir: string, owner: { uid: number; gid: number } | undefined, say: (line: string) => void): string {
  const inside = path.join(dataDir, 'postgres');
  if (!owner) return inside;
  const enters = spawnSync('/bin/sh', ['-c', 'cd "$1"', 'sh', path.resolve(dataDir)], { uid: owner.uid, gid: owner.gid }).status === 0;
  if (enters) return inside;
  const home = '/var/lib/postgresql';
  const elsewhere = path.join(home, `rongcuo-cluster-${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12)}`);
  const reachable = fs.existsSync(home) && spawnSync('/bin/sh', ['-c', 'cd "$1" && test -w .', 'sh', home], { uid: owner.uid, gid: owner.gid }).status === 0;
  if (!reachable) {
    throw new Error(`PostgreSQL's user (uid ${owner.uid}) cannot enter ${dataDir}, nor write ${home}: choose a --data-dir it can enter, or let it search the folders above (chmod o+x)`);
  }
  if (!fs.existsSync(elsewhere)) {
    fs.mkdirSync(elsewhere, { mode: 0o700 });
    fs.chownSync(elsewhere, owner.uid, owner.gid);
  }
  if (!fs.existsSync(inside)) fs.symlinkSync(elsewhere, inside);
  say(`PostgreSQL's user cannot enter ${dataDir}: its data is in ${elsewhere} (linked from ${inside})`);
  return elsewhere;
}

/** Debian's binaries of the major release .env pins for compose (POSTGRES_VERSION). */
export function postgresBin(pinned: string): string {
  const major = pinned.split('.')[0]!;
  const bin = `/usr/lib/postgresql/${major}/bin`;
  if (!fs.existsSync(path.join(bin, 'postgres'))) throw new Error(`PostgreSQL ${major} (.env POSTGRES_VERSION=${pinned}) is not installed: apt-get install postgresql-${major}`);
  return bin;
}

export interface WorkerBuild {
  /** A compiled tree with dist/worker/main.js and node_modules; this checkout by default. */
  root: string;
  label: string;
}

export class Cluster {
  readonly workers: ServiceProcess[] = [];
  private readonly processes: ServiceProcess[] = [];
  /** The compose service each process is one of. */
  private readonly serviceOf = new Map<ServiceProcess, string>();
  private workerCount = 0;
  private constructor(
    readonly options: ClusterOptions,
    readonly ports: ClusterPorts,
    readonly compose: Compose,
    private readonly say: (line: string) => void,
    readonly pgBin: string,
    private readonly serverDir: string,
  ) {}

  get dataDir(): string {
    return this.options.dataDir;
  }
  /** PostgreSQL's data folder (in the data folder, or where its user can reach it: postgresDataDir); set once it starts. */
  pgdata: string | undefined;
  /** Where PostgreSQL archives its WAL (compose's postgres-wal-archive volume), beside its data folder. */
  get walArchiveDir(): string {
    const inside = path.join(this.dataDir, 'postgres');
    // Not started here (a backup of a cluster another process runs): where its data folder is, a link followed.
    return `${this.pgdata ?? (fs.existsSync(inside) ? fs.realpathSync(inside) : inside)}-wal-archive`;
  }
  get logsDir(): string {
    return path.join(this.dataDir, 'logs');
  }
  get appDataDir(): string {
    return path.join(this.dataDir, 'app');
  }
  /** Compose's named volumes, a folder each (the Temporal credentials: one per service that holds any). */
  get volumesDir(): string {
    return path.join(this.dataDir, 'volumes');
  }
  get temporalAddress(): string {
    return `127.0.0.1:${this.ports.temporal}`;
  }
  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }
  /** The app's environment (worker, API), as the compose services get it, with Docker's names and ports made local. */
  appEnv(service: 'worker' | 'api'): Record<string, string> {
    return this.localEnv(this.compose.services[service]!);
  }
  get databaseUrl(): string {
    return this.appEnv('worker').DATABASE_URL!;
  }
  get namespace(): string {
    return this.appEnv('worker').TEMPORAL_NAMESPACE!;
  }
  get taskQueue(): string {
    return this.appEnv('worker').TEMPORAL_TASK_QUEUE!;
  }
  get deploymentName(): string | undefined {
    return this.appEnv('worker').TEMPORAL_DEPLOYMENT_NAME || undefined;
  }

  /** Prepares and brings the topology up; on failure stops what it started. */
  static async start(options: ClusterOptions): Promise<Cluster> {
    const cluster = Cluster.prepare(options);
    await cluster.up();
    return cluster;
  }

  /** Reads the settings and checks the tools and ports; starts nothing yet, so `stop()` may come at any time after. */
  static prepare(options: ClusterOptions): Cluster {
    const say = options.say ?? ((line: string) => console.log(`[cluster] ${line}`));
    const ports = { ...DEFAULT_PORTS, ...options.ports };
    if (ports.temporal > MAX_TEMPORAL_FRONTEND_PORT || ports.temporal < 1024 + 300) {
      throw new Error(`--temporal-port ${ports.temporal}: the server keeps its membership ports (300 below the frontend's) as a smallint, so choose a port from 1324 to ${MAX_TEMPORAL_FRONTEND_PORT}`);
    }
    const dotenv = readDotenv(ROOT);
    // Where scripts/install-temporal-server.mjs builds the release .env pins.
    const serverDir = path.join(ROOT, '.tools', 'temporal-server', `v${dotenv.TEMPORAL_VERSION}`);
    if (!fs.existsSync(path.join(serverDir, 'stamp.json'))) throw new Error(`the Temporal server ${dotenv.TEMPORAL_VERSION} is not built: node scripts/tools.mjs --cluster`);
    if (options.restoreFrom) {
      readManifest(options.restoreFrom);
      if (fs.existsSync(path.join(options.dataDir, 'postgres'))) throw new Error(`${options.dataDir} already holds a cluster: restore into a new --data-dir`);
      // Before anything reads them: the same passwords, keys and certificates as the cluster backed up.
      restoreSecrets(options.restoreFrom, options.dataDir);
    }
    fs.mkdirSync(path.join(options.dataDir, 'logs'), { recursive: true });
    fs.mkdirSync(path.join(options.dataDir, 'app'), { recursive: true });
    fs.mkdirSync(path.join(options.dataDir, 'volumes'), { recursive: true, mode: 0o700 });
    const vars: Record<string, string | undefined> = { ...(options.vars ?? process.env) };
    // What an operator provides: generated once into the data folder and kept there.
    vars.POSTGRES_PASSWORD ||= secretFile(path.join(options.dataDir, 'postgres-password'));
    vars.TEMPORAL_DB_PASSWORD ||= secretFile(path.join(options.dataDir, 'temporal-db-password'));
    vars.ARCHIVE_OWNER_PASSWORD ||= secretFile(path.join(options.dataDir, 'archive-owner-password'));
    vars.ARCHIVE_APP_PASSWORD ||= secretFile(path.join(options.dataDir, 'archive-app-password'));
    vars.PAYLOAD_KEYS ||= formatPayloadKeys(loadOrCreatePayloadKeys(options.dataDir));
    vars.SEARCH_TERMS_KEY ||= new TextDecoder().decode(loadOrCreateSearchTermsKey(options.dataDir));
    // Compose requires the token secret; here it is the one `npm run cluster` prints the token command with.
    vars.TOKEN_SECRET ||= new TextDecoder().decode(loadOrCreateTokenSecret(path.join(options.dataDir, 'app')));
    // Compose demands the UI's own sign-in settings; no UI runs here (NOT_RUN), so nothing reads them.
    for (const name of ['TEMPORAL_UI_CLIENT_ID', 'TEMPORAL_UI_CLIENT_SECRET']) vars[name] ||= 'unused: npm run cluster runs no UI';
    vars.PUBLIC_BASE_URL ||= `http://127.0.0.1:${ports.api}`;
    const compose = loadCompose(ROOT, vars);
    const pgBin = postgresBin(compose.dotenv.POSTGRES_VERSION!);
    const cluster = new Cluster({ ...options, vars }, ports, compose, say, pgBin, serverDir);
    process.once('exit', () => cluster.killAll());
    return cluster;
  }

  private stopping = false;

  /** In compose's order, each step waiting for the condition compose's depends_on names. */
  async up(): Promise<void> {
    const taken = [];
    for (const [name, port] of [['postgres', this.ports.postgres], ['api', this.ports.api], ...temporalPortFamily(this.ports.temporal).map((p) => ['temporal', p] as const)] as const) {
      if (!(await portFree(Number(port)))) taken.push(`${name} ${port}`);
    }
    if (taken.length > 0) throw new Error(`ports in use: ${taken.join(', ')} (choose others with --postgres-port, --temporal-port, --api-port)`);
    const steps: (() => Promise<void>)[] = [
      () => this.startPostgres(),
      () => this.runJob('postgres-roles'),
      () => this.runJob('temporal-pki'),
      () => this.runJob('temporal-schema'),
      () => this.startTemporal(),
      () => this.runJob('temporal-setup'),
      () => this.checkSearchAttributes(),
      () => this.runJob('archive-migrate'),
      async () => {
        for (let i = 0; i < this.options.workers; i += 1) this.startWorker();
        await this.waitForPollers(this.options.workers);
      },
      () => this.startApi(),
    ];
    try {
      for (const step of steps) {
        if (this.stopping) throw new Error('stopped while starting');
        await step();
      }
    } catch (err) {
      await this.stop().catch(() => undefined);
      throw err;
    }
  }

  private localEnv(service: ComposeService): Record<string, string> {
    return localEnvironment(service, this.places);
  }

  private get places(): LocalPlaces {
    return { ports: this.ports, serverDir: this.serverDir, appDataDir: this.appDataDir, volumesDir: this.volumesDir };
  }

  private baseEnv(): Record<string, string> {
    return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', TZ: process.env.TZ ?? 'UTC' };
  }

  private process(
    name: string,
    serviceName: (typeof START_ORDER)[number],
    command: string,
    args: string[],
    env: Record<string, string>,
    extra: { cwd?: string; uid?: number; gid?: number; signal?: StopSignal } = {},
  ): ServiceProcess {
    const service = this.compose.services[serviceName];
    const grace = service?.stop_grace_period ? durationMs(service.stop_grace_period) : 10_000; // compose's default
    const proc = new ServiceProcess(
      name,
      { command, args, cwd: extra.cwd ?? ROOT, env, uid: extra.uid, gid: extra.gid },
      path.join(this.logsDir, `${name}.log`),
      service?.restart,
      grace,
      extra.signal ?? 'SIGTERM',
      this.say,
    );
    this.processes.push(proc);
    this.serviceOf.set(proc, serviceName);
    return proc;
  }

  /** The processes of a compose service running here (the Temporal services', each one of its replicas). */
  processesOf(service: (typeof START_ORDER)[number]): ServiceProcess[] {
    return this.processes.filter((p) => this.serviceOf.get(p) === service);
  }

  /** How many processes of a Temporal service run here. */
  replicasOf(service: TemporalService): number {
    const composeReplicas = Number(this.compose.services[service]?.deploy?.replicas ?? 1);
    return this.options.temporalReplicas?.[service] ?? localReplicas(service, composeReplicas, os.cpus().length);
  }

  private async startPostgres(): Promise<void> {
    const env = this.compose.services.postgres!.environment;
    const owner = postgresUser();
    const pgdata = postgresDataDir(this.dataDir, owner, this.say);
    const version = spawnSync(path.join(this.pgBin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim();
    this.pgdata = pgdata;
    const restoring = this.options.restoreFrom && !fs.existsSync(path.join(pgdata, 'PG_VERSION'));
    const recovery: string[] = [];
    if (restoring) {
      this.say(`restoring PostgreSQL from ${this.options.restoreFrom} into ${pgdata}…`);
      restoreBaseBackup(this.options.restoreFrom!, pgdata, owner);
      // The archived WAL where PostgreSQL's user reads it: the backup itself is for its owner alone.
      const walCopy = `${pgdata}-restore-wal`;
      fs.cpSync(path.join(this.options.restoreFrom!, BACKUP_FILES.wal), walCopy, { recursive: true });
      if (owner) spawnSync('chown', ['-R', `${owner.uid}:${owner.gid}`, walCopy]);
      recovery.push('-c', `restore_command=${restoreCommand(walCopy)}`);
    }
    if (!restoring && !fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
      this.say(`initialising PostgreSQL (${version}) in ${pgdata}…`);
      fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
      // Beside the data folder, where PostgreSQL's user can read it (the data folder may be elsewhere: postgresDataDir).
      const pwfile = `${pgdata}.pwfile`;
      fs.writeFileSync(pwfile, env.POSTGRES_PASSWORD!, { mode: 0o600 });
      if (owner) {
        fs.chownSync(pgdata, owner.uid, owner.gid);
        fs.chownSync(pwfile, owner.uid, owner.gid);
      }
      // As the postgres image does: the superuser and password from its environment, passwords over TCP.
      const init = spawnSync(
        path.join(this.pgBin, 'initdb'),
        ['-D', pgdata, '-U', env.POSTGRES_USER!, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '--encoding=UTF8', '--locale=C.UTF-8'],
        { encoding: 'utf8', uid: owner?.uid, gid: owner?.gid },
      );
      fs.rmSync(pwfile);
      if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
    }
    // Compose's settings (its command after `postgres`), with the WAL archive's volume a folder beside the data
    // folder, where PostgreSQL's user can write (the volumes folder is the cluster's user's alone).
    const service = this.compose.services.postgres!;
    const archiveMount = (service.volumes ?? []).find((v) => v.startsWith('postgres-wal-archive:'))?.split(':')[1];
    if (archiveMount) {
      fs.mkdirSync(this.walArchiveDir, { recursive: true, mode: 0o700 });
      if (owner) fs.chownSync(this.walArchiveDir, owner.uid, owner.gid);
    }
    const settings = (service.command ?? []).slice(1).map((a) => (archiveMount ? a.split(archiveMount).join(this.walArchiveDir) : a));
    this.say(`starting PostgreSQL on 127.0.0.1:${this.ports.postgres}…`);
    // SIGINT is PostgreSQL's fast shutdown: it is stopped last, when nothing is connected that should finish.
    const proc = this.process(
      'postgres',
      'postgres',
      path.join(this.pgBin, 'postgres'),
      ['-D', pgdata, '-p', String(this.ports.postgres), ...settings, ...recovery, '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      this.baseEnv(),
      { uid: owner?.uid, gid: owner?.gid, signal: 'SIGINT' },
    );
    const admin = () => new pg.Client({ host: '127.0.0.1', port: this.ports.postgres, user: env.POSTGRES_USER, password: env.POSTGRES_PASSWORD, database: 'postgres' });
    // Compose's health check (pg_isready) over TCP, with the password, as the services will connect; a restored
    // cluster once it has replayed the archived WAL and opened for writes.
    await waitUntil(restoring ? 'PostgreSQL recovered from the backup' : 'PostgreSQL accepting connections', async () => {
      const client = admin();
      await client.connect();
      try {
        return !(await client.query<{ r: boolean }>('select pg_is_in_recovery() as r')).rows[0]!.r;
      } finally {
        await client.end();
      }
    }, restoring ? 600_000 : 60_000, () => (proc.exited ? `exited; see ${proc.logFile}` : undefined));
    // The postgres image creates POSTGRES_DB on its first start.
    const client = admin();
    await client.connect();
    try {
      const exists = await client.query('select 1 from pg_database where datname = $1', [env.POSTGRES_DB]);
      if (exists.rowCount === 0) await client.query(`create database "${env.POSTGRES_DB!.replace(/"/g, '')}"`);
    } finally {
      await client.end();
    }
  }

  /**
   * A compose job: its entrypoint and command, its environment, with the installed tools where the
   * image has them (the admin tools, psql of the PostgreSQL release, this checkout's node and dist/).
   */
  private async runJob(name: Job): Promise<void> {
    const service = this.compose.services[name]!;
    const [command, ...args] = localArgs(service, this.places, [...(service.entrypoint ?? []), ...(service.command ?? [])]);
    const tools = [path.join(this.serverDir, 'bin'), path.join(ROOT, '.tools', 'venv', 'bin'), this.pgBin];
    const env = { ...this.baseEnv(), ...this.localEnv(service) };
    env.PATH = [...tools, env.PATH].join(':');
    this.say(`running ${name}…`);
    const log = path.join(this.logsDir, `${name}.log`);
    const fd = fs.openSync(log, 'a');
    const result = spawnSync(command === 'node' ? process.execPath : command!, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd], timeout: 180_000 });
    fs.closeSync(fd);
    if (result.status !== 0) throw new Error(`${name} failed (${result.error?.message ?? `exit code ${result.status}`}); see ${log}`);
  }

  /** Each Temporal service as its own processes, as compose runs them, each once its ports answer. */
  private async startTemporal(): Promise<void> {
    const counts = TEMPORAL_SERVICES.map((service) => `${this.replicasOf(service)} ${service.replace(/^temporal-?/, '') || 'frontend'}`);
    this.say(`starting the Temporal server ${this.compose.dotenv.TEMPORAL_VERSION} as separate processes (${counts.join(', ')}) on ${this.temporalAddress}…`);
    const started: Promise<void>[] = [];
    for (const service of TEMPORAL_SERVICES) {
      for (let instance = 0; instance < this.replicasOf(service); instance += 1) started.push(this.startTemporalProcess(service, instance));
    }
    await Promise.all(started);
  }

  /** One process of a Temporal service; restarted by its policy, as Docker would; only a crash loop stops the start. */
  startTemporalProcess(service: TemporalService, instance: number): Promise<void> {
    const env: Record<string, string> = { ...this.baseEnv(), ...this.localEnv(this.compose.services[service]!), ...temporalInstancePortEnv(this.ports.temporal, service, instance), BIND_ON_IP: '127.0.0.1' };
    const grpcPort = Number(env[`${PORT_PREFIX[service]}_GRPC_PORT`]);
    // As the image's entrypoint: `temporal-server start` renders the built-in template from the environment.
    const proc = this.process(`${service}-${instance + 1}`, service, path.join(this.serverDir, 'bin', 'temporal-server'), ['start'], env, { cwd: this.dataDir });
    // Compose's health check: the service's port answers (nc -z). The set-up job then waits until the frontend serves.
    return waitUntil(`${proc.name} listening on ${grpcPort}`, () => tcpOpen(grpcPort), 120_000, () => proc.downFor(3));
  }

  /** What a service presents to the Temporal frontend (its TEMPORAL_TLS_* and token), as compose gives it. */
  temporalCredentials(service: 'worker' | 'api' | 'temporal-setup'): TemporalTlsSettings {
    const env = this.localEnv(this.compose.services[service]!);
    return {
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_TLS_CA: env.TEMPORAL_TLS_CA,
      TEMPORAL_TLS_CERT: env.TEMPORAL_TLS_CERT,
      TEMPORAL_TLS_KEY: env.TEMPORAL_TLS_KEY,
      TEMPORAL_TLS_SERVER_NAME: env.TEMPORAL_TLS_SERVER_NAME,
      TEMPORAL_TOKEN_FILE: env.TEMPORAL_TOKEN_FILE,
    };
  }

  /**
   * The Temporal CLI as the operator runs it: the admin certificate (temporal-setup's) as flags,
   * its token in the environment, never on the command line.
   */
  operatorCli(credentials: Partial<TemporalTlsSettings> = this.temporalCredentials('temporal-setup')): { command: string; args: string[]; env: Record<string, string> } {
    const args = ['--address', this.temporalAddress, '-n', this.namespace];
    if (credentials.TEMPORAL_TLS_CA) args.push('--tls-ca-path', credentials.TEMPORAL_TLS_CA);
    if (credentials.TEMPORAL_TLS_CERT) args.push('--tls-cert-path', credentials.TEMPORAL_TLS_CERT);
    if (credentials.TEMPORAL_TLS_KEY) args.push('--tls-key-path', credentials.TEMPORAL_TLS_KEY);
    if (credentials.TEMPORAL_TLS_SERVER_NAME) args.push('--tls-server-name', credentials.TEMPORAL_TLS_SERVER_NAME);
    const env: Record<string, string> = { ...this.baseEnv() };
    if (credentials.TEMPORAL_TOKEN_FILE) env.TEMPORAL_API_KEY = fs.readFileSync(credentials.TEMPORAL_TOKEN_FILE, 'utf8').trim();
    return { command: path.join(ROOT, '.tools', 'venv', 'bin', 'temporal'), args, env };
  }

  /** A client of the cluster with the operator's credentials and the workers' own payload keys: it reads what the cases store, as ops would through the codec. */
  async client(): Promise<{ client: Client; connection: Connection }> {
    const connection = await Connection.connect(temporalConnectionOptions(this.temporalCredentials('temporal-setup')));
    const keys = payloadKeyring(parsePayloadKeys(this.options.vars?.PAYLOAD_KEYS ?? ''));
    return { client: new Client({ connection, namespace: this.namespace, dataConverter: caseDataConverter(keys) }), connection };
  }

  /** The set-up job registered what the workflow writes: a missing attribute would fail every case's first task. */
  private async checkSearchAttributes(): Promise<void> {
    const { connection } = await this.client();
    try {
      const listed = await connection.operatorService.listSearchAttributes({ namespace: this.namespace });
      const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !(key.name in (listed.customAttributes ?? {})));
      if (missing.length > 0) throw new Error(`search attributes not registered by temporal-setup: ${missing.map((k) => k.name).join(', ')}`);
    } finally {
      await connection.close();
    }
  }

  /** Starts one more worker, of this checkout's build or another (a rolling upgrade's new build). */
  startWorker(build: WorkerBuild = { root: ROOT, label: 'worker' }): ServiceProcess {
    this.workerCount += 1;
    const env = { ...this.baseEnv(), ...this.appEnv('worker') };
    // Each container has its own address for the metrics port compose gives it; on one machine each worker takes its own port after the API's.
    if (env.WORKER_METRICS_ADDRESS) env.WORKER_METRICS_ADDRESS = `127.0.0.1:${this.ports.api + 10 + this.workerCount}`;
    const [command, ...args] = this.compose.services.worker!.command!;
    const proc = this.process(`${build.label}-${this.workerCount}`, 'worker', command === 'node' ? process.execPath : command!, args, env, { cwd: build.root });
    this.workers.push(proc);
    return proc;
  }

  /** Waits until `count` workers (by process id) poll the task queue. */
  async waitForPollers(count: number, workers: ServiceProcess[] = this.workers.slice(-count), timeoutMs = 180_000): Promise<void> {
    const { client, connection } = await this.client();
    try {
      await waitUntil(
        `${count} workers polling ${this.taskQueue}`,
        async () => {
          const res = await client.workflowService.describeTaskQueue({ namespace: this.namespace, taskQueue: { name: this.taskQueue }, taskQueueType: 1 });
          const identities = (res.pollers ?? []).map((p) => p.identity ?? '');
          return workers.every((w) => identities.some((id) => id.startsWith(`${w.pid}@`)));
        },
        timeoutMs,
        () => {
          const dead = workers.find((w) => w.exited && w.restarts === 0);
          return dead ? `${dead.name} exited; see ${dead.logFile}` : undefined;
        },
      );
    } finally {
      await connection.close();
    }
  }

  private async startApi(): Promise<void> {
    const env = { ...this.baseEnv(), ...this.appEnv('api') };
    const [command, ...args] = this.compose.services.api!.command!;
    this.say(`starting the API on ${this.apiUrl}…`);
    const proc = this.process('api', 'api', command === 'node' ? process.execPath : command!, args, env);
    // Compose's health check: GET /readyz answers 200.
    await waitUntil('the API ready', async () => (await fetch(`${this.apiUrl}/readyz`)).ok, 60_000, () => (proc.exited && proc.restarts === 0 ? `exited; see ${proc.logFile}` : undefined));
  }

  /** Workers drain (in parallel, as `docker compose stop` does), then the API, then the Temporal server (its frontends first), then PostgreSQL. */
  async stop(): Promise<void> {
    this.stopping = true;
    const temporalGroups = [['temporal', 'temporal-internal-frontend', 'temporal-worker'], ['temporal-matching', 'temporal-history']];
    for (const group of [['worker'], ['api'], ...temporalGroups, ['postgres']]) {
      const procs = group[0] === 'worker' ? this.workers : this.processes.filter((p) => group.includes(this.serviceOf.get(p) ?? ''));
      if (procs.length === 0) continue;
      this.say(`stopping ${group[0] === 'worker' ? `${procs.filter((p) => !p.exited).length} workers` : procs.map((p) => p.name).join(', ')}…`);
      const results = await Promise.all(procs.map((p) => p.stop()));
      const forced = results.filter((r) => !r.graceful).length;
      if (forced > 0) this.say(`${forced} ${group} process(es) did not stop within the grace period and were killed`);
    }
  }

  /**
   * A backup of the running cluster into `dest` (scripts/cluster-backup.ts): PostgreSQL's base backup,
   * the archived WAL so far, and the secrets and credentials of its data folder.
   */
  async backup(dest: string): Promise<BackupManifest & { seconds: number }> {
    const t0 = Date.now();
    const env = this.compose.services.postgres!.environment;
    const server = { pgBin: this.pgBin, port: this.ports.postgres, user: env.POSTGRES_USER!, password: env.POSTGRES_PASSWORD! };
    const base = takeBaseBackup(server, dest);
    const secrets = backUpSecrets(this.dataDir, dest, ['postgres', 'postgres-wal-archive', 'postgres-restore-wal', 'logs']);
    // The segment the backup ended in, archived before it is copied.
    await waitUntil('the base backup’s WAL archived', async () => fs.readdirSync(this.walArchiveDir).some((f) => f.includes('.backup')), 60_000);
    const wal = copyWalArchive(this.walArchiveDir, dest);
    const manifest: BackupManifest = { takenAt: new Date().toISOString(), postgresVersion: postgresVersion(this.pgBin), baseBytes: base.bytes, secretsBytes: secrets.bytes, walBytes: wal.bytes, walSegments: wal.files };
    writeManifest(dest, manifest);
    return { ...manifest, seconds: (Date.now() - t0) / 1000 };
  }

  /** What a WAL shipper does continuously: the segment in use closed and archived, and the archive copied into `dest`. */
  async shipWal(dest: string): Promise<{ bytes: number; files: number }> {
    const env = this.compose.services.postgres!.environment;
    const before = new Set(fs.readdirSync(this.walArchiveDir));
    switchWal({ pgBin: this.pgBin, port: this.ports.postgres, user: env.POSTGRES_USER!, password: env.POSTGRES_PASSWORD! });
    await waitUntil('the last WAL segment archived', async () => fs.readdirSync(this.walArchiveDir).some((f) => !before.has(f) && !f.endsWith('.partial')), 60_000);
    return copyWalArchive(this.walArchiveDir, dest);
  }

  /** As a lost machine: every process killed at once (SIGKILL), none restarted. */
  async destroy(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.processes.map((p) => p.killForGood()));
  }

  private killAll(): void {
    for (const p of this.processes) if (!p.exited) p.child.kill('SIGKILL');
  }
}
