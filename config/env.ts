/**
 * Every setting of the system, read from the environment once at start-up.
 * Defaults give the embedded setup of `npm start`; docker-compose.yml sets the
 * production values. A bad value stops the process with one line naming it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { rulebookParametersSchema, rulebooks, type RulebookParameters } from '../domain/rulebooks';

const port = z.coerce.number().int().min(1).max(65_535);
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

export const envSchema = z.object({
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('exemption-review'),
  /** Only for what `npm start` prints; the UI itself belongs to the Temporal server. */
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
  /** HS256 secret for tokens; unset means one generated into DATA_DIR on first start. */
  TOKEN_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  /** An OIDC issuer's key set; when set, tokens are verified against it instead of the secret. */
  JWKS_URL: optionalText.pipe(z.url().optional()),
  TOKEN_ISSUER: optionalText,
  TOKEN_AUDIENCE: optionalText,
  CORS_ORIGINS: optionalText.transform((v) => (v ? v.split(',').map((s) => s.trim()) : [])),
  /** Writes (POST, PUT) each user may make per minute. */
  RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** smtp://user:pass@host:port (smtps:// for TLS): notices to parties with an e-mail address also go by e-mail. Unset: inbox only. */
  SMTP_URL: optionalText.pipe(z.string().regex(/^smtps?:\/\/[^/]+$/, 'must be smtp://[user:pass@]host:port or smtps://…').optional()),
  /** The From address of notice e-mails. */
  SMTP_FROM: z.email('must be an e-mail address').default('rongcuo@localhost'),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** A JSON file of the periods the deploying body sets where a regulation leaves them to 有关规定 (焦作's appeal window). Unset: none. */
  RULEBOOK_PARAMETERS: optionalText,
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  dataDir: string;
  apiBaseUrl: string;
  rulebookParameters: RulebookParameters;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError whose message is one line per bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const value = env[name];
      return `${name}: ${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
    });
    throw new ConfigError(`configuration error: ${lines.join('; ')}`);
  }
  const parsed = result.data;
  if (parsed.JWKS_URL && (!parsed.TOKEN_ISSUER || !parsed.TOKEN_AUDIENCE)) {
    throw new ConfigError('configuration error: TOKEN_ISSUER and TOKEN_AUDIENCE: required when JWKS_URL is set');
  }
  if (parsed.WEBHOOK_URL && !parsed.WEBHOOK_SECRET) {
    throw new ConfigError('configuration error: WEBHOOK_SECRET: required when WEBHOOK_URL is set, to sign each delivery');
  }
  return {
    ...parsed,
    dataDir: path.resolve(parsed.DATA_DIR),
    apiBaseUrl: parsed.PUBLIC_BASE_URL ?? `http://${parsed.API_HOST}:${parsed.API_PORT}`,
    rulebookParameters: parsed.RULEBOOK_PARAMETERS ? readRulebookParameters(parsed.RULEBOOK_PARAMETERS) : {},
  };
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
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
