/**
 * Listens for HTTP and stops cleanly: on SIGINT/SIGTERM it stops taking
 * connections, lets requests in flight finish, then closes its resources.
 */
import fs from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import path from 'node:path';
import type { WorkflowBundle } from '@temporalio/worker';
import type { Duplex } from 'node:stream';
import { checkApiConfig, isLoopback, loadConfigOrExit, type Config } from '../config/env';
import { openResources, type Resources } from '../config/resources';
import { runOpeningRelay } from '../services/cases/opening-relay';
import { matterIndex } from '../services/cases/search-terms';
import { loadOrCreateSearchTermsKey } from '../services/codec/keys';
import { allowedHostnames } from './allowed-hosts';
import { createApp } from './app';
import { createVerifier } from './auth';
import { clientErrorAnswer } from './problem';
import type { SignInSettings } from './routes/sign-in';
import { DryRunner } from '../services/rulebooks/dry-run';
import { loadOrCreateTokenSecret } from './token-secret';

export function verifierFor(config: Config) {
  const rules = { maxAgeSeconds: config.TOKEN_MAX_AGE_SECONDS };
  return config.JWKS_URL
    ? createVerifier({ kind: 'jwks', jwksUrl: config.JWKS_URL, issuer: config.TOKEN_ISSUER!, audience: config.TOKEN_AUDIENCE!, ...rules })
    : createVerifier({ kind: 'secret', secret: loadOrCreateTokenSecret(config.dataDir, config.TOKEN_SECRET), issuer: config.TOKEN_ISSUER, audience: config.TOKEN_AUDIENCE, ...rules });
}

/**
 * How the console signs people in: the issuer's own flow, or the development sign-in, which is on
 * only where DEV_SIGN_IN=true says so, or, unset, in development on a loopback API_HOST (`npm start`).
 * Never in production, never beside an issuer (config/env.ts refuses both).
 */
export function signInFor(config: Config): SignInSettings {
  if (config.JWKS_URL) {
    return config.OIDC_CLIENT_ID
      ? { kind: 'oidc', issuer: config.TOKEN_ISSUER!, clientId: config.OIDC_CLIENT_ID, audience: config.TOKEN_AUDIENCE, scope: config.OIDC_SCOPE }
      : { kind: 'none' };
  }
  const development = config.DEV_SIGN_IN ? config.DEV_SIGN_IN === 'true' : config.NODE_ENV !== 'production' && isLoopback(config.API_HOST);
  if (!development) return { kind: 'none' };
  // Signed by the rules the verifier checks (verifierFor), or the API would refuse its own sign-in.
  return {
    kind: 'development',
    secret: loadOrCreateTokenSecret(config.dataDir, config.TOKEN_SECRET),
    issuer: config.TOKEN_ISSUER,
    audience: config.TOKEN_AUDIENCE,
    maxAgeSeconds: config.TOKEN_MAX_AGE_SECONDS,
  };
}

/** The time-skipping server scripts/tools.mjs installs, from the sources (api/) or the compiled tree (dist/api/). */
const INSTALLED_TEST_SERVER = [path.resolve(__dirname, '..', '.tools', 'venv', 'bin', 'temporal-test-server'), path.resolve(__dirname, '..', '..', '.tools', 'venv', 'bin', 'temporal-test-server')].find((f) =>
  fs.existsSync(f),
);

/**
 * The API's dry runs of rulebook versions: on the time-skipping server (TEMPORAL_TEST_SERVER_PATH, or the
 * installed one), running the workflow bundle built ahead (WORKFLOW_BUNDLE_PATH) or bundled once, at the
 * first dry run. Without a server, simulateRulebook answers 503 saying so.
 */
export function dryRunnerFor(config: Config, resources: Resources): DryRunner | undefined {
  const testServerPath = config.TEMPORAL_TEST_SERVER_PATH ?? INSTALLED_TEST_SERVER;
  if (!testServerPath) return undefined;
  let bundle: Promise<WorkflowBundle> | undefined;
  // The one `npm run build` writes beside the compiled API (dist/workflow-bundle.js), built with it.
  const built = config.WORKFLOW_BUNDLE_PATH ?? [path.resolve(__dirname, '..', 'workflow-bundle.js')].find((f) => __dirname.endsWith(path.join('dist', 'api')) && fs.existsSync(f));
  const workflowBundle = () =>
    (bundle ??= built
      ? fs.promises.readFile(built, 'utf8').then((code) => ({ code }))
      : import('../worker/worker').then(({ bundleCaseWorkflows }) => {
          const log = resources.logger.child({ component: 'dry-run bundler' });
          return bundleCaseWorkflows({ trace() {}, debug() {}, info() {}, log() {}, warn: (m, meta) => log.warn(meta ?? {}, m), error: (m, meta) => log.error(meta ?? {}, m) });
        }));
  return new DryRunner({ testServerPath, workflowBundle, db: resources.db, authorities: resources.authorities });
}

export async function startApi(config: Config, resources: Resources): Promise<Server> {
  checkApiConfig(config);
  // Named, not fatal: the API serves every case but those sealed with a key it lacks.
  await resources.checkPayloadKeys();
  const app = createApp({
    client: resources.client,
    db: resources.db,
    verifyToken: verifierFor(config),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    namespace: config.TEMPORAL_NAMESPACE,
    baseUrl: config.apiBaseUrl,
    logger: resources.logger,
    corsOrigins: config.CORS_ORIGINS,
    writesPerMinute: config.RATE_LIMIT_WRITES_PER_MINUTE,
    calendarReadsPerMinute: config.RATE_LIMIT_CALENDAR_READS_PER_MINUTE,
    matterIndex: matterIndex(loadOrCreateSearchTermsKey(config.dataDir, config.SEARCH_TERMS_KEY)),
    temporalUiOrigin: new URL(config.TEMPORAL_UI_URL).origin,
    anonymousCodecDecode: config.CODEC_AUTH === 'none',
    authFailuresPerMinute: config.AUTH_FAILURES_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    allowedHosts: allowedHostnames(config.apiBaseUrl),
    metricsToken: config.METRICS_TOKEN,
    metricsOpen: isLoopback(config.API_HOST),
    authorities: resources.authorities,
    stepWaitMs: config.STEP_WAIT_SECONDS * 1000,
    signIn: signInFor(config),
    rulebookParameters: config.rulebookParameters,
    dryRuns: dryRunnerFor(config, resources),
    payloadKeys: resources.payloadKeys,
    materialLimits: { maxFileBytes: config.MATERIAL_MAX_MB * 1024 * 1024, maxCaseBytes: config.CASE_MATERIALS_MAX_MB * 1024 * 1024 },
    accessLog: { enabled: config.ACCESS_LOG === 'on', waitMs: config.ACCESS_LOG_WAIT_MS },
  });
  // Openings whose request numbered a case but did not start it (its process died, Temporal did not answer).
  const relay = runOpeningRelay({ db: resources.db, client: resources.client, taskQueue: config.TEMPORAL_TASK_QUEUE, logger: resources.logger });
  return new Promise((resolve, reject) => {
    const server = httpServer(app).listen(config.API_PORT, config.API_HOST, () => resolve(server));
    server.once('close', () => relay.stop());
    server.once('error', (err) => reject(new Error(`cannot listen on ${config.API_HOST}:${config.API_PORT} (API_HOST/API_PORT): ${err.message}`)));
  });
}

/** The HTTP server of the app: what its parser refuses (oversized headers, broken requests) is answered as a problem too. */
export function httpServer(app: RequestListener): Server {
  const server = createServer(app);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    socket.end(clientErrorAnswer(err));
  });
  return server;
}

export function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env, { api: true });
  const resources = await openResources(config, 'api');
  const server = await startApi(config, resources);
  resources.logger.info({ url: config.apiBaseUrl }, 'API listening');
  const stop = async () => {
    await stopServer(server);
    await resources.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`api: ${err.message}\n`);
    process.exit(1);
  });
}
