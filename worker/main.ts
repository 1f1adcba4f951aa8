/**
 * Runs the case worker until SIGINT/SIGTERM; the SDK then stops polling and
 * lets running activities finish (WORKER_SHUTDOWN_GRACE_SECONDS) before the
 * process exits.
 *
 * With TEMPORAL_DEPLOYMENT_NAME set the worker serves one Worker Deployment
 * Version, whose build id is derived from the workflow code unless
 * TEMPORAL_WORKER_BUILD_ID names it. The first build of a deployment makes
 * itself current; any later build waits, polling but given no work, until the
 * operator makes it current (the rolling upgrade in README.md).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import type { Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { NativeConnection, Runtime, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { sweepArchivalCopies } from '../activities/documents';
import { loadConfigOrExit, type Config } from '../config/env';
import { openResources, type Resources } from '../config/resources';
import { keepNativeTokenFresh, temporalConnectionOptions } from '../config/temporal-connection';
import { encryptionCodecOf } from '../services/codec/codec';
import { libreOfficeRenderer } from '../services/documents/render-pdf';
import { ensureAccessLogRetention, ensureDossierSweep } from './schedules';
import { bundleCaseWorkflows, createCaseWorker } from './worker';

/** Equal workflow code, equal build: every worker of one image or dist reports the same version. */
export function buildIdOf(code: string): string {
  return createHash('sha256').update(code).digest('hex').slice(0, 16);
}

/** Where `npm run build` writes the workflow bundle (scripts/bundle-workflows.ts), beside the compiled worker. */
export const BUILT_BUNDLE_PATH = path.resolve(__dirname, '..', 'workflow-bundle.js');

/** The compiled code the workflow bundle is made of: a bundle older than any of it was built from other code. */
const BUNDLED_DIRS = ['workflows', 'domain'].map((dir) => path.resolve(__dirname, '..', dir));

function newestModified(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return Math.max(0, ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newestModified(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs)));
}

/** Whether dist/workflow-bundle.js was built from the compiled code beside it; a stale one is never run. */
function builtBundleIsCurrent(logger: Logger): boolean {
  if (!fs.existsSync(BUILT_BUNDLE_PATH)) return false;
  const bundled = fs.statSync(BUILT_BUNDLE_PATH).mtimeMs;
  if (BUNDLED_DIRS.every((dir) => newestModified(dir) <= bundled)) return true;
  logger.warn({ bundle: BUILT_BUNDLE_PATH }, 'the built workflow bundle is older than the compiled workflow code: bundling from the code instead (run npm run build)');
  return false;
}

/**
 * The workflow bundle: built ahead (WORKFLOW_BUNDLE_PATH, or the one `npm run build` leaves in dist/),
 * so the worker starts in a moment; built here for a versioned worker; or left to the SDK (sources).
 */
async function workflowCode(config: Config, logger: Logger): Promise<{ bundle?: WorkerOptions['workflowBundle']; code?: string }> {
  const built = config.WORKFLOW_BUNDLE_PATH ?? (builtBundleIsCurrent(logger) ? BUILT_BUNDLE_PATH : undefined);
  if (built) return { bundle: { codePath: built }, code: fs.readFileSync(built, 'utf8') };
  if (!config.TEMPORAL_DEPLOYMENT_NAME) return {};
  const log = logger.child({ component: 'bundler' });
  const bundle = await bundleCaseWorkflows({
    trace() {},
    debug() {},
    info() {},
    log() {},
    warn: (m, meta) => log.warn(meta ?? {}, m),
    error: (m, meta) => log.error(meta ?? {}, m),
  });
  return { bundle, code: bundle.code };
}

/**
 * The SDK runtime, once per process and before the first connection: its Prometheus endpoint shows
 * the workflow cache, sticky hits, schedule-to-start latencies and task failures.
 */
function installRuntime(config: Config, logger: Logger): void {
  if (!config.WORKER_METRICS_ADDRESS) return;
  try {
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } });
    logger.info({ metrics: `http://${config.WORKER_METRICS_ADDRESS}/metrics` }, 'worker runtime metrics');
  } catch (err) {
    // Installed already in this process (a test, or the embedded process starting a second worker).
    logger.warn({ err: (err as Error).message }, 'worker runtime already installed; its metrics setting stands');
  }
}

export async function startWorker(
  config: Config,
  resources: Resources,
): Promise<{ worker: Worker; connection: NativeConnection; deployment?: WorkerDeploymentVersion }> {
  // A key open cases need and this worker lacks holds those cases only: their payloads fail to decode, so
  // their tasks are retried until the key is back, while every other case runs (one line names each key).
  const missing = await resources.checkPayloadKeys();
  encryptionCodecOf(resources.dataConverter)?.awaitKeys(missing.map((k) => k.keyId));
  installRuntime(config, resources.logger);
  // The cache is sized from WORKER_HEAP_MB (config/env.ts cachedWorkflowsForHeap): a heap smaller than it says would not hold it.
  const v8HeapMb = Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
  resources.logger.info({ maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS, heapMb: config.WORKER_HEAP_MB, v8HeapMb }, 'workflow cache');
  if (v8HeapMb < config.WORKER_HEAP_MB) {
    resources.logger.warn(`WORKER_HEAP_MB is ${config.WORKER_HEAP_MB}, but this process's heap is ${v8HeapMb} MB: start it with --max-old-space-size=${config.WORKER_HEAP_MB}, or set WORKER_HEAP_MB to the heap it has`);
  }
  // The same TLS and token as the process's client (config/temporal-connection.ts); the token is renewed while it runs.
  const { apiKey, ...options } = temporalConnectionOptions(config);
  const connection = await NativeConnection.connect({ ...options, ...(apiKey ? { apiKey: apiKey() } : {}) });
  keepNativeTokenFresh(apiKey, connection);
  const renderer = libreOfficeRenderer();
  const { bundle, code } = await workflowCode(config, resources.logger);
  const deployment: WorkerDeploymentVersion | undefined =
    config.TEMPORAL_DEPLOYMENT_NAME && code ? { deploymentName: config.TEMPORAL_DEPLOYMENT_NAME, buildId: config.TEMPORAL_WORKER_BUILD_ID ?? buildIdOf(code) } : undefined;
  const worker = await createCaseWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dependencies: { db: resources.db, client: resources.client, notices: resources.notices, authorities: resources.authorities, archivalRenderer: renderer, payloadKeys: resources.payloadKeys },
    dataConverter: resources.dataConverter,
    ...(bundle ? { workflowBundle: bundle } : {}),
    ...(deployment ? { deployment } : {}),
    shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS}s`,
    bounds: {
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    },
  });
  const sweep = await ensureDossierSweep(resources.client, config.TEMPORAL_TASK_QUEUE, config.DOSSIER_SWEEP_MINUTES);
  resources.logger.info({ schedule: sweep, everyMinutes: config.DOSSIER_SWEEP_MINUTES }, 'dossier sweep');
  const retention = await ensureAccessLogRetention(resources.client, config.TEMPORAL_TASK_QUEUE, config.ACCESS_LOG_RETENTION_HOURS, config.ACCESS_LOG_RETENTION_DAYS);
  resources.logger.info({ schedule: retention, everyHours: config.ACCESS_LOG_RETENTION_HOURS, keepDays: config.ACCESS_LOG_RETENTION_DAYS }, 'access log retention');
  // Documents of running cases get their archival copies within minutes here (the case renders any still missing when it closes),
  // as do documents issued before copies existed.
  const sweepCopies = () => void sweepArchivalCopies(resources.db, renderer, resources.logger);
  sweepCopies();
  setInterval(sweepCopies, 5 * 60_000).unref();
  return { worker, connection, ...(deployment ? { deployment } : {}) };
}

const grpcCode = (err: unknown) => (err as { code?: number }).code;
const NOT_FOUND = 5;

/**
 * Makes `version` its deployment's current version if the deployment has none
 * yet (its first build, or the first versioned build after unversioned
 * workers). The version exists on the server only once this worker has polled,
 * so this asks again until it does.
 */
export async function activateIfFirst(client: Client, namespace: string, version: WorkerDeploymentVersion, logger: Logger, timeoutMs = 120_000): Promise<void> {
  const { deploymentName, buildId } = version;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { workerDeploymentInfo: info, conflictToken } = await client.workflowService.describeWorkerDeployment({ namespace, deploymentName });
      const current = info?.routingConfig?.currentDeploymentVersion;
      if (current?.buildId) {
        if (current.buildId === buildId) logger.info({ deploymentName, buildId }, 'this build is the current version');
        else
          logger.info(
            { deploymentName, buildId, current: current.buildId },
            `this build is not current: cases move to it after \`temporal worker deployment set-current-version --deployment-name ${deploymentName} --build-id ${buildId}\``,
          );
        return;
      }
      const known = info?.versionSummaries?.some((v) => v.deploymentVersion?.buildId === buildId);
      if (known) {
        await client.workflowService.setWorkerDeploymentCurrentVersion({ namespace, deploymentName, buildId, conflictToken, identity: `${deploymentName}.${buildId} worker` });
        logger.info({ deploymentName, buildId }, 'first build of the deployment: made it the current version');
        return;
      }
    } catch (err) {
      // NotFound: no worker of the deployment has polled yet. Any other answer (a concurrent
      // first worker changed the deployment) is asked again, as the loop does.
      if (grpcCode(err) !== NOT_FOUND) logger.debug({ err: (err as Error).message }, 'activating the deployment version; asking again');
    }
    if (Date.now() > deadline) throw new Error(`${deploymentName}.${buildId} did not register with the server within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const resources = await openResources(config, 'worker');
  const { worker, connection, deployment } = await startWorker(config, resources);
  resources.logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, deployment }, 'worker running');
  const running = worker.run();
  if (deployment) await activateIfFirst(resources.client, config.TEMPORAL_NAMESPACE, deployment, resources.logger);
  await running;
  await connection.close();
  await resources.close();
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`worker: ${err.message}\n`);
    process.exit(1);
  });
}
