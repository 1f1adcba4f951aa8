/**
 * Every setting of the system, read from the environment once at start-up.
 * Defaults give the embedded setup of `npm start`; docker-compose.yml sets the
 * production values. A bad value stops the process with one line naming it.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_PGLITE_BUFFERS_MB } from '../store/db';
import { parsePayloadKeys, payloadKeyring, SEARCH_TERMS_KEY_MIN_LENGTH, type PayloadKey, type PayloadKeyring } from '../services/codec/keys';
import { rulebookParametersSchema, rulebooks, type RulebookParameters } from '../domain/rulebooks';

/** A whole number written in decimal (not 0x10, 1e3 or an empty string). */
const decimal = z.string().trim().regex(/^\d{1,9}$/, 'must be a whole number').transform(Number);
const port = z.coerce.number().int().min(1).max(65_535);
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** Payload keys as id:base64 entries, parsed here so a bad key stops start-up with one line. */
const payloadKeyList = (read: (value: string) => string) =>
  optionalText.transform((value, ctx): PayloadKey[] | undefined => {
    if (value === undefined) return undefined;
    try {
      return parsePayloadKeys(read(value));
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

/** Only this machine can reach a process listening here. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Which proxies' X-Forwarded-For to believe, for the client address failed sign-ins are counted by:
 * a hop count (`1`: the one reverse proxy in front), or the proxies' addresses and subnets (and
 * Express's names loopback, linklocal, uniquelocal). Never `true`: that believes any client's header.
 */
const trustProxy = optionalText.transform((value, ctx): number | string[] | false => {
  if (value === undefined) return false;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isProxyAddress(e));
  if (bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `must be a hop count (e.g. 1) or proxy addresses and subnets, comma-separated (e.g. 10.0.0.5,10.1.0.0/16); ${JSON.stringify(bad)} is neither` });
    return z.NEVER;
  }
  return entries;
});

function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/** Variables whose values never appear in an error line. */
const SECRETS = new Set(['TOKEN_SECRET', 'METRICS_TOKEN', 'WEBHOOK_SECRET', 'PAYLOAD_KEYS', 'SEARCH_TERMS_KEY', 'DATABASE_URL', 'SMTP_URL']);

export const envSchema = z.object({
  /** `production` (the Dockerfile sets it): keys are never generated, and the codec always wants a token. */
  NODE_ENV: optionalText,
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233')
    .default('127.0.0.1:7233'),
  /**
   * TLS to the Temporal frontend (compose, `npm run cluster`; README, Temporal's frontend): the CA
   * its certificate is checked against, this process's client certificate and key (mTLS), the
   * name the frontend's certificate carries, and a file holding the bearer token its authorizer
   * reads (re-read while running, so a renewed token needs no restart). Unset: plaintext, as
   * `npm start`'s embedded server on loopback.
   */
  TEMPORAL_TLS_CA: optionalText,
  TEMPORAL_TLS_CERT: optionalText,
  TEMPORAL_TLS_KEY: optionalText,
  TEMPORAL_TLS_SERVER_NAME: optionalText,
  TEMPORAL_TOKEN_FILE: optionalText,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('exemption-review'),
  /**
   * The Worker Deployment the worker joins (production: docker-compose.yml, `npm run cluster`).
   * Unset: an unversioned worker, as `npm start` runs it.
   */
  TEMPORAL_DEPLOYMENT_NAME: optionalText.pipe(z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, - and _ only').optional()),
  /** The worker's build within its deployment; unset: derived from its workflow code, so equal code gives an equal build. */
  TEMPORAL_WORKER_BUILD_ID: optionalText.pipe(z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, ., - and _ only').optional()),
  /** Where the Temporal UI is: what `npm start` prints, and the only browser origin the codec routes answer. */
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  /** Base URL the API is reached at, for Location headers and printed links. */
  PUBLIC_BASE_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('data'),
  /** postgres://… for PostgreSQL; unset means embedded PGlite under DATA_DIR. */
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  /** The embedded archive's buffer cache (PostgreSQL shared_buffers), in MB; a PostgreSQL server (DATABASE_URL) sets its own. */
  ARCHIVE_BUFFERS_MB: z.coerce.number().int().min(1).max(65_536).default(DEFAULT_PGLITE_BUFFERS_MB),
  /** HS256 secret for tokens; unset means one generated into DATA_DIR on first start. */
  TOKEN_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  /** An OIDC issuer's key set; when set, tokens are verified against it instead of the secret. */
  JWKS_URL: optionalText.pipe(z.url().optional()),
  /** The `iss` and `aud` every token must carry; with the embedded secret they default to rongcuo and rongcuo-api. */
  TOKEN_ISSUER: optionalText,
  TOKEN_AUDIENCE: optionalText,
  /** How old (from its `iat`) a token may be, whatever its `exp` says. */
  TOKEN_MAX_AGE_SECONDS: decimal.pipe(z.number().int().min(60).max(30 * 86_400)).default(12 * 3600),
  /** Failed tokens a client address may present per minute; beyond, its failures answer 429 (valid tokens are still served). */
  AUTH_FAILURES_PER_MINUTE: decimal.pipe(z.number().int().min(1).max(100_000)).default(30),
  /** The proxies in front of the API whose X-Forwarded-For names the client: a hop count or their addresses. Unset: none. */
  TRUST_PROXY: trustProxy,
  /** When set, GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; set it wherever the API is reachable by others. */
  METRICS_TOKEN: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  /** The console's client id at the OIDC issuer (authorization code with PKCE); unset: the console cannot sign in through the issuer. */
  OIDC_CLIENT_ID: optionalText,
  /** The scopes the console asks the issuer for. */
  OIDC_SCOPE: z.string().trim().min(1).default('openid profile'),
  /**
   * The console's development sign-in (pick a role and authority). Unset: on only in development
   * (NODE_ENV not production) on a loopback API_HOST; never with an issuer, never in production.
   */
  DEV_SIGN_IN: optionalText.pipe(z.enum(['true', 'false'], { error: 'must be true or false' }).optional()),
  CORS_ORIGINS: optionalText.transform((v) => (v ? v.split(',').map((s) => s.trim()) : [])),
  /** Writes (POST, PUT) each user may make per minute. */
  RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Month views (GET /v1/calendar/deadlines) each user, and reads of each .ics feed, per minute. */
  RATE_LIMIT_CALENDAR_READS_PER_MINUTE: decimal.pipe(z.number().int().min(1).max(100_000)).default(60),
  /** smtp://user:pass@host:port (smtps:// for TLS): notices to parties with an e-mail address also go by e-mail. Unset: inbox only. */
  SMTP_URL: optionalText.pipe(z.string().regex(/^smtps?:\/\/[^/]+$/, 'must be smtp://[user:pass@]host:port or smtps://…').optional()),
  /** The From address of notice e-mails. Empty means the default, as compose passes an unset ${SMTP_FROM:-}. */
  SMTP_FROM: optionalText.pipe(z.email('must be an e-mail address').optional()).transform((v) => v ?? 'rongcuo@localhost'),
  /** The authority's own system: every notice is also POSTed here, signed with WEBHOOK_SECRET. Unset: no webhook. */
  WEBHOOK_URL: optionalText.pipe(z.url().optional()),
  WEBHOOK_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  /** Attempts of a failing e-mail or webhook delivery before the responsible officer is told instead. */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(6),
  /** How long a process waits at start-up for the archive database and Temporal to answer before it gives up. */
  STARTUP_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** How long a step over the API waits for the case to take it before answering 202 with where to ask again. */
  STEP_WAIT_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  /** How long a stopping worker lets running activities finish (docker-compose's stop_grace_period is longer). */
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** The largest file one material upload may carry, in MB; larger uploads answer 413. */
  MATERIAL_MAX_MB: decimal.pipe(z.number().int().min(1).max(1024)).default(20),
  /** What all the materials of one case may hold together, in MB (withdrawn ones included: they are kept); beyond, 413. */
  CASE_MATERIALS_MAX_MB: decimal.pipe(z.number().int().min(1).max(65_536)).default(500),
  /** Every how many minutes the worker's schedule writes the dossiers of cases closed without one (0: no schedule). */
  DOSSIER_SWEEP_MINUTES: z.coerce.number().int().min(0).max(10_080).default(15),
  /**
   * `on`: every read of a case, its documents and its notes, and every decode, is in the access log
   * before it is answered. `off` exists only to measure what the log costs (bench:load): refused in
   * production and beyond loopback.
   */
  ACCESS_LOG: z.enum(['on', 'off']).default('on'),
  /** How long a read waits for its access record to be written; then it is refused (503), never served unlogged. */
  ACCESS_LOG_WAIT_MS: decimal.pipe(z.number().int().min(50).max(60_000)).default(2_000),
  /** How long access records are kept before the retention job prunes them: at least 180 days (网络安全法 第二十一条). */
  ACCESS_LOG_RETENTION_DAYS: decimal.pipe(z.number().int().min(180, 'must be at least 180 (days; 网络安全法 第二十一条: six months)').max(36_500)).default(180),
  /** Every how many hours the worker's schedule runs the access log's retention job (0: none; run it by hand, npm run access-log -- prune). */
  ACCESS_LOG_RETENTION_HOURS: decimal.pipe(z.number().int().min(0).max(8_760)).default(24),
  /**
   * The worker's bounds. Workflows of cases that sleep on timers are evicted from the cache and
   * replayed when they wake, so memory stays bounded by the cache, not by the number of open cases.
   * The cache, unset, follows the heap (cachedWorkflowsForHeap); the rest fit the 2-core embedded machine.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1_000).default(8),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(1_000).default(20),
  /**
   * The Node heap of the worker process: npm start passes it as --max-old-space-size, compose's worker
   * command states the same number (test/deployment keeps them equal); the cache is sized from it.
   */
  WORKER_HEAP_MB: z.coerce.number().int().min(128).max(65_536).default(512),
  /** Where the worker serves the Temporal SDK's runtime metrics for Prometheus (cache size, sticky hits, task latencies); empty: off. */
  WORKER_METRICS_ADDRESS: z
    .string()
    .trim()
    .regex(/^$|^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:9464, or empty')
    .default('127.0.0.1:9464'),
  /** A workflow bundle built ahead with bundleCaseWorkflows (worker/worker.ts), so it has the failure converter: the worker starts in a moment instead of bundling the sources. */
  WORKFLOW_BUNDLE_PATH: optionalText,
  /** A JSON file of the authorities (config/authorities.ts); unset means the embedded demo authorities. */
  AUTHORITIES_FILE: optionalText,
  /**
   * The time-skipping Temporal test server the API runs rulebook dry runs on (simulateRulebook); unset:
   * the one scripts/tools.mjs installs (.tools/venv/bin/temporal-test-server), where it is. A path set
   * must exist.
   */
  TEMPORAL_TEST_SERVER_PATH: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Payload encryption keys, `id:base64` (AES-256-GCM) or `id:sm4:base64` (32 bytes each), comma-separated; unset: PAYLOAD_KEYS_FILE, or keys generated into DATA_DIR. */
  PAYLOAD_KEYS: payloadKeyList((value) => value),
  /** A file of `id:base64` lines (`#` comments), instead of PAYLOAD_KEYS. */
  PAYLOAD_KEYS_FILE: payloadKeyList((file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }),
  /** The id of the key that encrypts; unset: the first listed. */
  PAYLOAD_KEY_CURRENT: optionalText,
  /** HMAC key of the matter's search terms; unset: one generated into DATA_DIR. Changing it makes earlier cases unfindable by words. */
  SEARCH_TERMS_KEY: optionalText.pipe(z.string().min(SEARCH_TERMS_KEY_MIN_LENGTH, `must be at least ${SEARCH_TERMS_KEY_MIN_LENGTH} characters`).optional()),
  /** `token`: decoding payloads needs an auditor's or admin's token. `none`: the embedded UI on loopback decodes without one. */
  CODEC_AUTH: z.enum(['token', 'none']).default('token'),
  /** A JSON file of the periods the deploying body sets where a regulation leaves them to 有关规定 (焦作's appeal window). Unset: none. */
  RULEBOOK_PARAMETERS: optionalText,
});

export type Env = z.infer<typeof envSchema>;

/**
 * The workflow cache a worker heap holds: 1 MiB a cached case, after 256 MiB for everything else (the
 * workflow bundle's context, activities' documents and PDFs in flight, the SDK). bench:load measured a
 * cached case at about 0.6 MiB of resident memory (117 MiB more for 200 more cached); 1 MiB leaves room for
 * long cases, whose state grows with their steps. 512 MB (npm start): 256 cases; 1 GB (compose): 768,
 * where the SDK's own default is about 480 (600 per GB after 200 MB, for workflows of any size).
 */
export function cachedWorkflowsForHeap(heapMb: number): number {
  return Math.max(10, Math.floor(heapMb - 256));
}

export interface Config extends Omit<Env, 'PAYLOAD_KEYS' | 'PAYLOAD_KEYS_FILE' | 'WORKER_MAX_CACHED_WORKFLOWS'> {
  /** WORKER_MAX_CACHED_WORKFLOWS, or what WORKER_HEAP_MB holds by cachedWorkflowsForHeap. */
  WORKER_MAX_CACHED_WORKFLOWS: number;
  dataDir: string;
  apiBaseUrl: string;
  /** From PAYLOAD_KEYS or PAYLOAD_KEYS_FILE; unset: the embedded default in DATA_DIR (services/codec/keys.ts). */
  payloadKeys: PayloadKeyring | undefined;
  rulebookParameters: RulebookParameters;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment; throws a ConfigError whose message is one line per bad variable.
 * `api`: the process serves the API, whose own settings are checked too (checkApiConfig).
 */
export function parseConfig(env: NodeJS.ProcessEnv = process.env, options: { api?: boolean } = {}): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const value = env[name];
      return `${name}: ${issue.message}${value === undefined || SECRETS.has(name) ? '' : ` (got ${JSON.stringify(value)})`}`;
    });
    throw new ConfigError(`configuration error: ${lines.join('; ')}`);
  }
  const parsed = result.data;
  if (parsed.JWKS_URL && (!parsed.TOKEN_ISSUER || !parsed.TOKEN_AUDIENCE)) {
    throw new ConfigError('configuration error: TOKEN_ISSUER and TOKEN_AUDIENCE: required when JWKS_URL is set');
  }
  if (parsed.JWKS_URL && parsed.DEV_SIGN_IN === 'true') {
    throw new ConfigError('configuration error: DEV_SIGN_IN: must not be true when JWKS_URL is set (tokens come from the OIDC issuer)');
  }
  if (parsed.NODE_ENV === 'production' && parsed.DEV_SIGN_IN === 'true') {
    throw new ConfigError('configuration error: DEV_SIGN_IN: must not be true in production (NODE_ENV=production): anyone who reaches the API could sign in as any role');
  }
  if (parsed.CASE_MATERIALS_MAX_MB < parsed.MATERIAL_MAX_MB) {
    throw new ConfigError(`configuration error: CASE_MATERIALS_MAX_MB: must be at least MATERIAL_MAX_MB (${parsed.MATERIAL_MAX_MB}), or no upload of the largest file could fit a case`);
  }
  if (parsed.WEBHOOK_URL && !parsed.WEBHOOK_SECRET) {
    throw new ConfigError('configuration error: WEBHOOK_SECRET: required when WEBHOOK_URL is set, to sign each delivery');
  }
  const { PAYLOAD_KEYS, PAYLOAD_KEYS_FILE, ...rest } = parsed;
  const production = parsed.NODE_ENV === 'production';
  if (PAYLOAD_KEYS && PAYLOAD_KEYS_FILE) throw new ConfigError('configuration error: PAYLOAD_KEYS and PAYLOAD_KEYS_FILE: set one, not both');
  const keys = PAYLOAD_KEYS ?? PAYLOAD_KEYS_FILE;
  if (!keys && parsed.PAYLOAD_KEY_CURRENT) throw new ConfigError('configuration error: PAYLOAD_KEY_CURRENT: names a key, but neither PAYLOAD_KEYS nor PAYLOAD_KEYS_FILE is set');
  if (!keys && production) {
    throw new ConfigError('configuration error: PAYLOAD_KEYS: required in production (NODE_ENV=production), the same for every worker and API; e.g. k1:$(openssl rand -base64 32)');
  }
  if (!parsed.SEARCH_TERMS_KEY && production) {
    throw new ConfigError('configuration error: SEARCH_TERMS_KEY: required in production (NODE_ENV=production); e.g. $(openssl rand -base64 48)');
  }
  checkTemporalTls(parsed);
  if (parsed.TEMPORAL_TEST_SERVER_PATH && !fs.existsSync(parsed.TEMPORAL_TEST_SERVER_PATH)) {
    throw new ConfigError(`configuration error: TEMPORAL_TEST_SERVER_PATH: no file at ${parsed.TEMPORAL_TEST_SERVER_PATH} (the time-skipping server rulebook dry runs run on)`);
  }
  let payloadKeys: PayloadKeyring | undefined;
  try {
    payloadKeys = keys ? payloadKeyring(keys, parsed.PAYLOAD_KEY_CURRENT) : undefined;
  } catch (err) {
    throw new ConfigError(`configuration error: PAYLOAD_KEY_CURRENT: ${(err as Error).message}`);
  }
  if (parsed.ACCESS_LOG === 'off' && (production || !isLoopback(parsed.API_HOST))) {
    throw new ConfigError('configuration error: ACCESS_LOG: off is only for measuring its cost, with API_HOST on loopback and not in production');
  }
  if (parsed.CODEC_AUTH === 'none' && (production || !isLoopback(parsed.API_HOST))) {
    throw new ConfigError('configuration error: CODEC_AUTH: none is only for the embedded UI, with API_HOST on loopback and not in production');
  }
  if (options.api) checkApiConfig(parsed);
  return {
    ...rest,
    WORKER_MAX_CACHED_WORKFLOWS: parsed.WORKER_MAX_CACHED_WORKFLOWS ?? cachedWorkflowsForHeap(parsed.WORKER_HEAP_MB),
    payloadKeys,
    dataDir: path.resolve(parsed.DATA_DIR),
    apiBaseUrl: parsed.PUBLIC_BASE_URL ?? `http://${parsed.API_HOST}:${parsed.API_PORT}`,
    rulebookParameters: parsed.RULEBOOK_PARAMETERS ? readRulebookParameters(parsed.RULEBOOK_PARAMETERS) : {},
  };
}

/** The Temporal frontend's TLS files exist and come in pairs: a typo stops start-up, not the first connection. */
function checkTemporalTls(parsed: Env): void {
  if (Boolean(parsed.TEMPORAL_TLS_CERT) !== Boolean(parsed.TEMPORAL_TLS_KEY)) {
    throw new ConfigError(`configuration error: ${parsed.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'}: required with ${parsed.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY'} (the client certificate and its key)`);
  }
  if ((parsed.TEMPORAL_TLS_CERT || parsed.TEMPORAL_TOKEN_FILE || parsed.TEMPORAL_TLS_SERVER_NAME) && !parsed.TEMPORAL_TLS_CA) {
    throw new ConfigError('configuration error: TEMPORAL_TLS_CA: required with TEMPORAL_TLS_CERT, TEMPORAL_TLS_SERVER_NAME or TEMPORAL_TOKEN_FILE (a token or a certificate never goes over plaintext)');
  }
  for (const name of ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TOKEN_FILE'] as const) {
    const file = parsed[name];
    if (!file) continue;
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch (err) {
      throw new ConfigError(`configuration error: ${name}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
}

/**
 * What only the API needs, checked where it starts (its own process, `npm start`'s embedded one):
 * an API in production, or one others can reach, verifies tokens with a secret or an issuer the
 * operator chose. Without either it would generate a secret of its own into DATA_DIR, which nobody
 * else holds, and (before this check) open the development sign-in to whoever reaches the port.
 */
export function checkApiConfig(config: Pick<Config, 'NODE_ENV' | 'API_HOST' | 'TOKEN_SECRET' | 'JWKS_URL'>): void {
  if (config.TOKEN_SECRET || config.JWKS_URL) return;
  if (config.NODE_ENV === 'production') {
    throw new ConfigError('configuration error: TOKEN_SECRET: required in production (NODE_ENV=production) unless JWKS_URL is set; e.g. $(openssl rand -base64 48)');
  }
  if (!isLoopback(config.API_HOST)) {
    throw new ConfigError(
      `configuration error: TOKEN_SECRET: required when the API listens beyond loopback (API_HOST=${config.API_HOST}) unless JWKS_URL is set; e.g. $(openssl rand -base64 48)`,
    );
  }
}

/** Names the parameters a jurisdiction's rulebooks leave to the deploying body. */
function declaredParameters(jurisdiction: string): string[] {
  return rulebooks.filter((b) => b.id === jurisdiction).flatMap((b) => b.steps.flatMap((s) => (s.kind === 'appeal' && s.windowParameter ? [s.windowParameter.name] : [])));
}

/** The deploying body's periods, each naming the rule it rests on; only parameters a rulebook declares. */
function readRulebookParameters(file: string): RulebookParameters {
  const fail = (why: string): never => {
    throw new ConfigError(`configuration error: RULEBOOK_PARAMETERS: ${why} (got ${JSON.stringify(file)})`);
  };
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`cannot read a JSON file: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = rulebookParametersSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(`${issue.path.join('.')}: ${issue.message}`);
  }
  for (const [jurisdiction, values] of Object.entries(parsed.data!)) {
    for (const name of Object.keys(values)) {
      if (!declaredParameters(jurisdiction).includes(name)) fail(`${jurisdiction}.${name}: no rulebook of ${jurisdiction} leaves this to the deploying body`);
    }
  }
  return parsed.data!;
}

/** For process entry points: parse, or print the one line and exit. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env, options: { api?: boolean } = {}): Config {
  try {
    return parseConfig(env, options);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
