/**
 * docker-compose.yml and .env as compose itself reads them: the services with
 * their environment interpolated (${VAR}, ${VAR:-default}, ${VAR:?message},
 * $$), YAML merge keys resolved. `npm run cluster` starts its processes from
 * these settings, so the one file configures both topologies.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  entrypoint?: string[];
  environment: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  stop_grace_period?: string;
  volumes?: string[];
  ports?: string[];
  container_name?: string;
  deploy?: { replicas?: number | string };
}

export interface Compose {
  services: Record<string, ComposeService>;
  dotenv: Record<string, string>;
}

export function readDotenv(root: string): Record<string, string> {
  const text = fs.readFileSync(path.join(root, '.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
  );
}

/** Compose's variable substitution; a ${VAR:?message} whose VAR is unset or empty throws its message. */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = vars[name];
    const missing = op?.startsWith(':') ? !value : value === undefined;
    if (op?.endsWith('-')) return missing ? arg! : value!;
    if (op?.endsWith('?') && missing) throw new Error(`${name}: ${arg || 'required'}`);
    return value ?? '';
  });
}

function interpolateAll<T>(value: T, vars: Record<string, string | undefined>): T {
  if (typeof value === 'string') return interpolate(value, vars) as T;
  if (Array.isArray(value)) return value.map((v) => interpolateAll(v, vars)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, vars)])) as T;
  return value;
}

/** The services of docker-compose.yml, interpolated with `vars` over .env (the operator's environment wins, as in compose). */
export function loadCompose(root: string, vars: Record<string, string | undefined>): Compose {
  const dotenv = readDotenv(root);
  const raw = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Partial<ComposeService>> };
  const all = { ...dotenv, ...vars };
  const services = Object.fromEntries(
    Object.entries(raw.services).map(([name, service]) => {
      const environment = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]));
      return [name, interpolateAll({ ...service, environment } as ComposeService, all)];
    }),
  );
  return { services, dotenv };
}

/** Compose durations as stop_grace_period writes them: 40s, 1m30s, 500ms. */
export function durationMs(text: string): number {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let consumed = '';
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0];
  }
  if (!consumed || consumed !== text) throw new Error(`not a duration: ${text}`);
  return total;
}

/** The runtime stage's ENV of the Dockerfile (NODE_ENV, DATA_DIR): the app processes' environment in the image. */
export function dockerfileEnv(root: string): Record<string, string> {
  const text = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const runtime = text.slice(text.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const line of runtime.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const pair of line.slice(4).trim().split(/\s+/)) {
      const [k, v] = pair.split('=');
      if (k && v !== undefined) env[k] = v;
    }
  }
  return env;
}
