/**
 * docker-compose.yml cannot run on these machines (no Docker engine), so this
 * checks that it agrees with the repository: what it builds exists, what it
 * configures is read by the code, and what ops filter on is registered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { msToNumber } from '@temporalio/common/lib/time';
import { parse } from 'yaml';
import { cachedWorkflowsForHeap, envSchema, parseConfig } from '../../config/env';
import { ALL_SEARCH_ATTRIBUTES } from '../../domain/case/contract';
import { JOBS, localEnvironment, NOT_RUN, START_ORDER, temporalPortEnv } from '../../scripts/cluster-topology';
import { durationMs, loadCompose } from '../../scripts/compose-settings';

const root = path.resolve(__dirname, '..', '..');
interface Service {
  image?: string;
  build?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  container_name?: string;
  restart?: string;
  stop_grace_period?: string;
}
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const dotenv = Object.fromEntries(
  fs
    .readFileSync(path.join(root, '.env'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => l.split('=') as [string, string]),
);

describe('the production topology (docker-compose.yml)', () => {
  it('has PostgreSQL, the Temporal server with its schema and set-up jobs, the UI, the worker and the API', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api', 'archive-migrate', 'postgres', 'postgres-roles', 'temporal', 'temporal-history', 'temporal-internal-frontend', 'temporal-matching',
      'temporal-pki', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'temporal-worker', 'worker',
    ]);
  });

  it('runs the Temporal server as its services apart, two processes of each, on 512 history shards', () => {
    const roles = { temporal: 'frontend', 'temporal-internal-frontend': 'internal-frontend', 'temporal-history': 'history', 'temporal-matching': 'matching', 'temporal-worker': 'worker' };
    const ports = { temporal: 7233, 'temporal-internal-frontend': 7236, 'temporal-history': 7234, 'temporal-matching': 7235, 'temporal-worker': 7239 };
    for (const [name, role] of Object.entries(roles)) {
      const service = services[name] as Service & { deploy?: { replicas?: number } };
      expect([name, service.environment!.TEMPORAL_SERVICES, service.deploy?.replicas, service.restart]).toEqual([name, role, 2, 'unless-stopped']);
      expect([name, service.healthcheck!.test.join(' ')]).toEqual([name, expect.stringContaining(`nc -z $$(hostname -i) ${ports[name as keyof typeof ports]}`)]);
      // One environment for all of them: the same databases, shards, TLS and authorizer.
      const { TEMPORAL_SERVICES: _role, ...shared } = service.environment!;
      const { TEMPORAL_SERVICES: _frontend, ...frontend } = services.temporal!.environment!;
      expect([name, shared]).toEqual([name, frontend]);
    }
    expect(services.temporal!.environment!.NUM_HISTORY_SHARDS).toBe('512');
    // Ten server processes' pools stay within PostgreSQL's connections.
    const env = services.temporal!.environment!;
    const perProcess = Number(env.SQL_MAX_CONNS) + Number(env.SQL_VIS_MAX_CONNS);
    const maxConnections = Number((services.postgres!.command as string[]).find((a) => a.startsWith('max_connections='))!.split('=')[1]);
    expect(perProcess * 10).toBeLessThanOrEqual(maxConnections / 2);
  });

  it('sizes the worker’s workflow cache from the heap its command line gives it', () => {
    const command = services.worker!.command as string[];
    const heap = Number(/^--max-old-space-size=(\d+)$/.exec(command.find((a) => a.startsWith('--max-old-space-size='))!)![1]);
    expect(services.worker!.environment!.WORKER_HEAP_MB).toBe(String(heap));
    expect(services.worker!.environment!.WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(cachedWorkflowsForHeap(heap)).toBe(768);
    expect(cachedWorkflowsForHeap(512)).toBe(256);
  });

  it('archives PostgreSQL’s WAL to a volume of its own, for point-in-time restores from a base backup', () => {
    const command = services.postgres!.command as string[];
    expect(command).toEqual(expect.arrayContaining(['wal_level=replica', 'archive_mode=on']));
    const archive = (services.postgres as { volumes: string[] }).volumes.find((v) => v.startsWith('postgres-wal-archive:'))!.split(':')[1]!;
    expect(command.find((a) => a.startsWith('archive_command='))).toContain(`${archive}/%f.gz`);
  });

  it('pins every image version in .env', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.image) continue;
      const variable = /:\$\{([A-Z_]+)\}$/.exec(service.image)?.[1];
      expect([name, variable && dotenv[variable]]).toEqual([name, expect.stringMatching(/^\d/)]);
    }
  });

  it('builds the worker and the API from this repository’s Dockerfile, running compiled entry points that exist', () => {
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(true);
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    for (const name of ['worker', 'api']) {
      const service = services[name]!;
      expect(service.build).toBe('.');
      const entry = (service.command as string[]).at(-1)!;
      const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect([name, fs.existsSync(path.join(root, source))]).toEqual([name, true]);
      for (const dir of source.split('/').slice(0, 1)) expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
    }
  });

  it('sets only environment variables the code reads, and the API listens on its published port', () => {
    const known = Object.keys(envSchema.shape);
    for (const name of ['worker', 'api']) {
      for (const variable of Object.keys(services[name]!.environment ?? {})) {
        expect([name, variable, known.includes(variable)]).toEqual([name, variable, true]);
      }
    }
    expect(services.api!.ports).toEqual([`${services.api!.environment!.API_PORT}:3000`]);
  });

  it('lets workers scale: no fixed container name or published port', () => {
    expect(services.worker!.container_name).toBeUndefined();
    expect(services.worker!.ports).toBeUndefined();
  });

  it('starts in order with health checks and completed jobs as conditions', () => {
    expect(services.postgres!.healthcheck).toBeDefined();
    expect(services.temporal!.healthcheck).toBeDefined();
    expect(services.api!.healthcheck).toBeDefined();
    expect(services['postgres-roles']!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services['temporal-schema']!.depends_on).toEqual({ 'postgres-roles': { condition: 'service_completed_successfully' } });
    expect(services.temporal!.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' }, 'temporal-pki': { condition: 'service_completed_successfully' } });
    for (const name of ['worker', 'api']) expect(services[name]!.depends_on?.['archive-migrate']).toEqual({ condition: 'service_completed_successfully' });
    expect(services.worker!.depends_on?.['temporal-setup']).toEqual({ condition: 'service_completed_successfully' });
    expect(services.api!.depends_on?.['temporal-setup']).toEqual({ condition: 'service_completed_successfully' });
  });

  it('registers every search attribute the workflow sets, with its type', () => {
    const script = String((services['temporal-setup']!.command as string[]).join('\n'));
    const typeName: Record<string, string> = { KEYWORD: 'Keyword', BOOL: 'Bool', DATETIME: 'Datetime', TEXT: 'Text', KEYWORD_LIST: 'KeywordList' };
    for (const key of ALL_SEARCH_ATTRIBUTES) expect(script).toContain(`${key.name}=${typeName[key.type]}`);
  });

  it('signs the UI in at the issuer the API trusts, and lets it read histories through the API’s codec endpoint', () => {
    const ui = services['temporal-ui']!.environment!;
    const api = services.api!.environment!;
    expect(ui).toMatchObject({ TEMPORAL_AUTH_ENABLED: 'true', TEMPORAL_AUTH_TYPE: 'oidc', TEMPORAL_CODEC_PASS_ACCESS_TOKEN: 'true' });
    // The same issuer as the API's: its tokens are the ones the codec endpoint verifies.
    expect(ui.TEMPORAL_AUTH_PROVIDER_URL).toBe(api.TOKEN_ISSUER);
    expect(ui.TEMPORAL_AUTH_ISSUER_URL).toBe(api.TOKEN_ISSUER);
    for (const name of ['TEMPORAL_AUTH_CLIENT_ID', 'TEMPORAL_AUTH_CLIENT_SECRET']) expect(ui[name]).toMatch(/^\$\{[A-Z_]+:\?/);
    // The codec endpoint is the API's /codec, reached where browsers reach the API; it answers the UI's origin.
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`${api.PUBLIC_BASE_URL}/codec`);
    const uiOrigin = api.TEMPORAL_UI_URL!;
    expect(ui.TEMPORAL_AUTH_CALLBACK_URL).toBe(`${uiOrigin}/auth/sso/callback`);
    expect(services['temporal-ui']!.ports).toEqual([`${new URL(uiOrigin.replace(/^\$\{[A-Z_]+:-(.*)\}$/, '$1')).port}:8080`]);
  });

  it('gives every worker and the API the same payload keys, from the operator and never generated', () => {
    for (const name of ['worker', 'api']) {
      expect([name, services[name]!.environment!.PAYLOAD_KEYS]).toEqual([name, expect.stringMatching(/^\$\{PAYLOAD_KEYS:\?/)]);
      expect([name, services[name]!.environment!.SEARCH_TERMS_KEY]).toEqual([name, expect.stringMatching(/^\$\{SEARCH_TERMS_KEY:\?/)]);
    }
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production/m);
  });

  it('stops and restarts the app as it runs: workers get their drain time, both come back after a crash', () => {
    const grace = Number(services.worker!.environment?.WORKER_SHUTDOWN_GRACE_SECONDS) * 1000;
    expect(grace).toBeGreaterThan(0);
    // The worker's own drain, then ten seconds to close its connections, before Docker's SIGKILL.
    expect(durationMs(services.worker!.stop_grace_period!)).toBe(grace + 10_000);
    for (const name of ['postgres', 'temporal', 'temporal-history', 'temporal-matching', 'worker', 'api']) expect([name, services[name]!.restart]).toEqual([name, 'unless-stopped']);
  });

  it('lets only clients with this deployment’s certificate, and a token the authorizer reads, reach the Temporal frontend', () => {
    const server = services.temporal!.environment!;
    expect(server).toMatchObject({
      TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: 'true',
      TEMPORAL_AUTH_AUTHORIZER: 'default',
      TEMPORAL_AUTH_CLAIM_MAPPER: 'default',
      TEMPORAL_JWT_PERMISSIONS_CLAIM: 'permissions',
      // The server's own workers go through the internal frontend (mTLS with the nodes' CA), not around the authorizer.
      USE_INTERNAL_FRONTEND: 'true',
    });
    expect(server.TEMPORAL_SERVICES).toBe('frontend');
    const serverMount = (services.temporal as { volumes: string[] }).volumes.find((v) => v.startsWith('temporal-tls-server:'))!.split(':')[1]!;
    for (const name of ['TEMPORAL_TLS_FRONTEND_CERT', 'TEMPORAL_TLS_FRONTEND_KEY', 'TEMPORAL_TLS_CLIENT1_CA_CERT', 'TEMPORAL_TLS_SERVER_CERT', 'TEMPORAL_TLS_SERVER_KEY', 'TEMPORAL_TLS_SERVER_CA_CERT']) {
      expect([name, server[name]]).toEqual([name, expect.stringMatching(new RegExp(`^${serverMount}/`))]);
    }
    // Clients and nodes trust different CAs: a client's certificate never passes for a node.
    expect(server.TEMPORAL_TLS_CLIENT1_CA_CERT).not.toBe(server.TEMPORAL_TLS_SERVER_CA_CERT);
    expect(server.TEMPORAL_JWT_KEY_SOURCE1).toBe(`file://${serverMount}/jwks.json`);
    // Every client of the frontend presents its own certificate from a volume of its own; the three that act carry a token.
    const clients = { worker: 'temporal-tls-worker', api: 'temporal-tls-api', 'temporal-setup': 'temporal-tls-admin', 'temporal-ui': 'temporal-tls-ui' };
    for (const [name, volume] of Object.entries(clients)) {
      const env = services[name]!.environment!;
      const mount = ((services[name] as { volumes?: string[] }).volumes ?? []).find((v) => v.startsWith(`${volume}:`))?.split(':')[1];
      expect([name, mount]).toEqual([name, expect.any(String)]);
      expect([name, env.TEMPORAL_TLS_CA, env.TEMPORAL_TLS_CERT, env.TEMPORAL_TLS_KEY, env.TEMPORAL_TLS_SERVER_NAME]).toEqual([name, `${mount}/ca.pem`, `${mount}/client.pem`, `${mount}/client.key`, 'temporal']);
      if (name !== 'temporal-ui') expect([name, env.TEMPORAL_TOKEN_FILE]).toEqual([name, `${mount}/token`]);
    }
    // Each credentials volume is mounted by its consumer and the job that writes it, by no one else; the CAs' keys by the job alone.
    const mountsOf = (volume: string) => Object.entries(services).filter(([, svc]) => ((svc as { volumes?: string[] }).volumes ?? []).some((v) => v.startsWith(`${volume}:`))).map(([n]) => n).sort();
    expect(mountsOf('temporal-pki')).toEqual(['temporal-pki']);
    for (const [name, volume] of Object.entries(clients)) expect([volume, mountsOf(volume)]).toEqual([volume, [name, 'temporal-pki'].sort()]);
    // The server's certificates: every server process (they share one environment and one volume) and the job.
    const serverProcesses = ['temporal', 'temporal-history', 'temporal-internal-frontend', 'temporal-matching', 'temporal-worker'];
    expect(mountsOf('temporal-tls-server')).toEqual([...serverProcesses, 'temporal-pki'].sort());
    const pki = services['temporal-pki']!.environment!;
    expect(pki.PKI_NAMESPACE).toBe(services.worker!.environment!.TEMPORAL_NAMESPACE);
  });

  it('keeps PostgreSQL’s roles apart: Temporal’s, the archive owner’s (migrations) and the app’s (rows only)', () => {
    const roles = fs.readFileSync(path.join(root, 'config', 'postgres', 'roles.sql'), 'utf8');
    for (const role of ['temporal', 'rongcuo_owner', 'rongcuo_app']) expect(roles).toContain(`ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    const user = (url: string) => /^postgres:\/\/([^:]+):/.exec(url)?.[1];
    expect(services.temporal!.environment!.POSTGRES_USER).toBe('temporal');
    expect(services['temporal-schema']!.environment!.SQL_USER).toBe('temporal');
    expect(user(services['archive-migrate']!.environment!.DATABASE_URL!)).toBe('rongcuo_owner');
    for (const name of ['worker', 'api']) expect([name, user(services[name]!.environment!.DATABASE_URL!)]).toEqual([name, 'rongcuo_app']);
    // The superuser runs only the roles job.
    const superuser = services.postgres!.environment!.POSTGRES_USER;
    const usersOf = (svc: Service) => Object.entries(svc.environment ?? {}).filter(([k, v]) => (/USER$/.test(k) && v === superuser) || user(v) === superuser);
    expect(Object.entries(services).filter(([name, svc]) => name !== 'postgres' && usersOf(svc).length > 0).map(([n]) => n)).toEqual(['postgres-roles']);
    expect(roles).toContain(`ALTER DATABASE ${services.temporal!.environment!.DBNAME} OWNER TO temporal`);
    expect(roles).toContain(`ALTER DATABASE ${services.temporal!.environment!.VISIBILITY_DBNAME} OWNER TO temporal`);
    expect(roles).toContain(`ALTER DATABASE ${services.postgres!.environment!.POSTGRES_DB} OWNER TO rongcuo_owner`);
  });

  it('keeps secrets off command lines and out of the repository', () => {
    const text = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    expect(text).toContain('${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}');
    for (const name of ['TEMPORAL_DB_PASSWORD', 'ARCHIVE_OWNER_PASSWORD', 'ARCHIVE_APP_PASSWORD']) expect(text).toContain(`\${${name}:?set ${name}`);
    // The API verifies tokens with the operator's secret: without it, it would not start (config/env.ts).
    expect(services.api!.environment!.TOKEN_SECRET).toMatch(/^\$\{TOKEN_SECRET:\?/);
    expect(Object.keys(dotenv)).not.toContain('POSTGRES_PASSWORD');
    for (const service of Object.values(services)) {
      expect(JSON.stringify(service.command ?? '')).not.toMatch(/PASSWORD|SECRET/);
      expect(JSON.stringify((service as { entrypoint?: string[] }).entrypoint ?? '')).not.toMatch(/PASSWORD|SECRET|TOKEN/);
    }
    // The operator's token reaches the CLI through its environment, never as an argument.
    expect(JSON.stringify(services['temporal-setup']!.command)).not.toContain('--api-key');
  });
});

/**
 * `npm run cluster` runs this topology without Docker from the same files
 * (scripts/cluster-topology.ts); the cluster test runs it for real. These
 * check that the two cannot drift apart.
 */
describe('compose and `npm run cluster` use the same settings', () => {
  const vars = {
    POSTGRES_PASSWORD: 'operator-password',
    TEMPORAL_DB_PASSWORD: 'operator-temporal-password',
    ARCHIVE_OWNER_PASSWORD: 'operator-owner-password',
    ARCHIVE_APP_PASSWORD: 'operator-app-password',
    PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    SEARCH_TERMS_KEY: 'operator-search-terms-key-operator-search-terms-key',
    TEMPORAL_UI_CLIENT_ID: 'rongcuo-ui',
    TEMPORAL_UI_CLIENT_SECRET: 'operator-ui-secret',
    TOKEN_SECRET: 'operator-token-secret-operator-token-secret',
  };
  const local = loadCompose(root, vars);
  const where = { ports: { postgres: 55433, temporal: 17233, api: 13000 }, serverDir: '/opt/temporal-server', appDataDir: '/srv/rongcuo', volumesDir: '/srv/volumes' };

  it('starts every service but the UI, each after the ones it depends on', () => {
    expect([...START_ORDER, ...NOT_RUN].sort()).toEqual(Object.keys(local.services).sort());
    for (const [index, name] of START_ORDER.entries()) {
      for (const dependency of Object.keys(local.services[name]!.depends_on ?? {})) {
        expect([name, dependency, START_ORDER.indexOf(dependency as never) < index]).toEqual([name, dependency, true]);
      }
    }
  });

  it('runs as jobs, to completion, exactly the services others wait on to complete', () => {
    const awaited = new Set(Object.values(local.services).flatMap((svc) => Object.entries(svc.depends_on ?? {}).filter(([, d]) => d.condition === 'service_completed_successfully').map(([n]) => n)));
    expect([...JOBS].sort()).toEqual([...awaited].sort());
  });

  it('gives the worker and the API compose’s environment, with only hosts, ports and paths made local', () => {
    for (const name of ['worker', 'api']) {
      const compose = local.services[name]!.environment;
      const env = localEnvironment(local.services[name]!, where);
      const changed = Object.keys(compose).filter((k) => env[k] !== compose[k]).sort();
      const tls = ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TOKEN_FILE'];
      expect([name, changed]).toEqual([name, [...(name === 'api' ? ['API_HOST', 'API_PORT'] : []), 'DATABASE_URL', 'TEMPORAL_ADDRESS', ...tls].sort()]);
      expect(env.TEMPORAL_ADDRESS).toBe('127.0.0.1:17233');
      expect(env.DATABASE_URL).toBe('postgres://rongcuo_app:operator-app-password@127.0.0.1:55433/rongcuo');
      // Each service's credentials volume becomes a folder of its own.
      expect(env.TEMPORAL_TLS_CERT).toBe(`/srv/volumes/temporal-tls-${name}/client.pem`);
      expect(env.DATA_DIR).toBe('/srv/rongcuo'); // the image's DATA_DIR (Dockerfile ENV), here
      expect(env.NODE_ENV).toBe('production');
    }
  });

  it('requires the operator’s token secret, without which the API would not start in production', () => {
    expect(() => loadCompose(root, { ...vars, TOKEN_SECRET: '' })).toThrow(/TOKEN_SECRET: set TOKEN_SECRET/);
    // The TLS files are the set-up job's to write; this checks the token secret alone.
    const api = Object.fromEntries(Object.entries(localEnvironment(local.services.api!, where)).filter(([k]) => !/^TEMPORAL_(TLS_|TOKEN_FILE)/.test(k)));
    expect(parseConfig(api, { api: true }).TOKEN_SECRET).toBe(vars.TOKEN_SECRET);
    expect(() => parseConfig({ ...api, TOKEN_SECRET: '' }, { api: true })).toThrow(/^configuration error: TOKEN_SECRET: required in production/);
  });

  it('passes values the app accepts, with the operator’s optional settings left unset', () => {
    for (const name of ['worker', 'api']) {
      const parsed = envSchema.safeParse(local.services[name]!.environment);
      expect([name, parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`)]).toEqual([name, []]);
    }
  });

  it('runs the Temporal server and the schema tool of the release .env pins, with the dynamic config compose mounts', () => {
    expect(services.temporal!.image).toBe('temporalio/server:${TEMPORAL_VERSION}');
    expect(dotenv.TEMPORAL_ADMINTOOLS_VERSION!.startsWith(dotenv.TEMPORAL_VERSION!)).toBe(true);
    const env = localEnvironment(local.services.temporal!, where);
    expect(env.DYNAMIC_CONFIG_FILE_PATH).toBe(path.join(root, 'config', 'temporal', 'dynamicconfig.yaml'));
    expect(fs.existsSync(env.DYNAMIC_CONFIG_FILE_PATH!)).toBe(true);
    expect([env.POSTGRES_SEEDS, env.DB_PORT, env.DBNAME, env.VISIBILITY_DBNAME]).toEqual(['127.0.0.1', '55433', 'temporal', 'temporal_visibility']);
    const schema = localEnvironment(local.services['temporal-schema']!, where);
    expect(schema.SCHEMA_DIR).toBe('/opt/temporal-server/schema/postgresql/v12');
    // The schema job creates the databases the server is told to use.
    const script = local.services['temporal-schema']!.command!.join('\n');
    for (const db of [env.DBNAME, env.VISIBILITY_DBNAME]) expect(script).toContain(`--db ${db} update-schema`);
  });

  it('lets the server’s ports follow the frontend port as its defaults do (7233: 7234, 7235, 7239, 6933…)', () => {
    expect(temporalPortEnv(7233)).toMatchObject({ FRONTEND_GRPC_PORT: '7233', HISTORY_GRPC_PORT: '7234', MATCHING_GRPC_PORT: '7235', WORKER_GRPC_PORT: '7239', FRONTEND_HTTP_PORT: '7243', FRONTEND_MEMBERSHIP_PORT: '6933', WORKER_MEMBERSHIP_PORT: '6939' });
    expect(temporalPortEnv(7233)).toMatchObject({ INTERNAL_FRONTEND_GRPC_PORT: '7236', INTERNAL_FRONTEND_HTTP_PORT: '7246', INTERNAL_FRONTEND_MEMBERSHIP_PORT: '6936' });
  });

  it('sets up the namespace the app uses, and hides no failure of its jobs', () => {
    const setup = local.services['temporal-setup']!;
    expect(setup.environment.TEMPORAL_NAMESPACE).toBe(local.services.worker!.environment.TEMPORAL_NAMESPACE);
    for (const job of ['temporal-schema', 'temporal-setup']) {
      expect(local.services[job]!.entrypoint).toEqual(['/bin/sh', '-ec']);
      expect([job, local.services[job]!.command!.join('\n')]).not.toEqual([job, expect.stringContaining('|| true')]);
    }
  });
});
