/**
 * docker-compose.yml cannot run on these machines (no Docker engine), so this
 * checks that it agrees with the repository: what it builds exists, what it
 * configures is read by the code, and what ops filter on is registered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { envSchema } from '../../config/env';
import { ALL_SEARCH_ATTRIBUTES } from '../../domain/case/contract';

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
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'worker']);
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
    expect(services['temporal-schema']!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.temporal!.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    expect(services.worker!.depends_on?.['temporal-setup']).toEqual({ condition: 'service_completed_successfully' });
    expect(services.api!.depends_on?.['temporal-setup']).toEqual({ condition: 'service_completed_successfully' });
  });

  it('brings the worker and the API back by themselves, and lets a stopping worker finish its activities', () => {
    for (const name of ['worker', 'api']) expect(services[name]!.restart).toBe('unless-stopped');
    const grace = Number(services.worker!.environment?.WORKER_SHUTDOWN_GRACE_SECONDS);
    expect(grace).toBeGreaterThan(0);
    // Docker kills the container after stop_grace_period; the worker must be done draining before that.
    expect(Number.parseInt(services.worker!.stop_grace_period ?? '0', 10)).toBeGreaterThan(grace);
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
    expect(ui.TEMPORAL_AUTH_PROVIDER_URL).toMatch(/^\$\{TOKEN_ISSUER:\?/);
    expect(api.TOKEN_ISSUER).toMatch(/^\$\{TOKEN_ISSUER\b/);
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

  it('keeps secrets off command lines and out of the repository', () => {
    const text = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    expect(text).toContain('${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}');
    expect(Object.keys(dotenv)).not.toContain('POSTGRES_PASSWORD');
    for (const service of Object.values(services)) expect(JSON.stringify(service.command ?? '')).not.toMatch(/PASSWORD|SECRET/);
  });
});
