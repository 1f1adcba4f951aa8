/**
 * Builds the worker that runs case workflows and their activities. Tests call
 * this too, with their own connection, task queue and dependencies.
 */
import fs from 'node:fs';
import type { DataConverter, WorkerDeploymentVersion } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities';
import { FAILURE_CONVERTER_PATH } from '../services/codec/codec';
import { caseViewSinks } from './case-views';
import { classifyFailures, DefectAlarm } from './failures';

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dependencies: ActivityDependencies;
  /** caseDataConverter(keys) (services/codec/codec.ts): the same as the clients', or the worker cannot read what they send. */
  dataConverter: DataConverter;
  /** A prebuilt bundle (tests bundle once per file), built with the data converter's failureConverterPath; otherwise the workflows are bundled from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * The Worker Deployment Version this worker serves (production). Cases are
   * AUTO_UPGRADE: a case moves to the deployment's current version at its next
   * workflow task and never back, so a build must replay every running case's
   * history (changes behind `patched()`), and no case waits months for an old
   * build to be kept alive. Unset: an unversioned worker (tests, `npm start`).
   */
  deployment?: WorkerDeploymentVersion;
  /** How long a stopping worker lets running activities finish (docker-compose's stop_grace_period is longer). */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /** Where code defects in activities are counted and told to operations once (worker/failures.ts); one of its own when unset. */
  defects?: DefectAlarm;
  /** Cache and concurrency bounds (config/env.ts WORKER_*); the SDK's defaults when unset (tests). */
  bounds?: Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskExecutions'>;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');
/** The workflow interceptor that refuses what the codec refused (workflows/sealed-inputs.ts): in every bundle. */
export const SEALED_INPUTS_PATH = require.resolve('../workflows/sealed-inputs');
/** A string only the sealed-inputs interceptor puts into a bundle, to tell a bundle built without it. */
const SEALED_INPUTS_MARK = 'UnsealedPayload';

/**
 * Modules the case workflow imports that hold no state of their own: loaded once per workflow
 * thread and shared by every case in it (the SDK's reusable V8 context), where otherwise each
 * cached case loads its own copy. zod alone is a megabyte of code; loaded per case it held more
 * than a megabyte of heap for each cached case, so the cache, not the open cases, ran out of
 * memory. Only pure modules belong here: one that kept per-case state would share it between cases.
 */
export const SHARED_WORKFLOW_MODULES = ['zod', require.resolve('../domain/rulebooks/schema'), require.resolve('../domain/calendar')];

/**
 * The workflow code built ahead (tests, WORKFLOW_BUNDLE_PATH), with the
 * failure converter that encodes failure messages and the interceptor that
 * refuses unsealed steps, as the worker would bundle it itself: a bundle
 * without the first puts refusal messages in clear, one without the second
 * would hand a forged step's refusal to the case's handlers.
 */
export function bundleCaseWorkflows(logger?: Parameters<typeof bundleWorkflowCode>[0]['logger']) {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    workflowInterceptorModules: [SEALED_INPUTS_PATH],
    preloadModules: SHARED_WORKFLOW_MODULES,
    logger,
  });
}

/** A bundle built before the sealed-inputs interceptor (an old WORKFLOW_BUNDLE_PATH) is never run: it would let refused steps through to handlers. */
function checkBundle(bundle: NonNullable<WorkerOptions['workflowBundle']>): void {
  const code = 'code' in bundle ? bundle.code : fs.readFileSync(bundle.codePath, 'utf8');
  if (!code.includes(SEALED_INPUTS_MARK)) throw new Error('the workflow bundle was built without the sealed-inputs interceptor: rebuild it with bundleCaseWorkflows (npm run build)');
}

export function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  if (options.workflowBundle) checkBundle(options.workflowBundle);
  const defects = options.defects ?? new DefectAlarm();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: SHARED_WORKFLOW_MODULES } }),
    activities: createActivities(options.dependencies),
    // The read model (worker/case-views.ts): written by the worker from outside the history.
    sinks: caseViewSinks(options.dependencies.db),
    dataConverter: options.dataConverter,
    ...(options.deployment
      ? { workerDeploymentOptions: { version: options.deployment, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' as const } }
      : {}),
    ...(options.shutdownGraceTime ? { shutdownGraceTime: options.shutdownGraceTime } : {}),
    ...options.bounds,
    // A failure that will not pass is handed to a person by the case instead of being retried forever.
    // A bundle has the sealed-inputs interceptor built in (bundleCaseWorkflows); bundled here from source, it is added here.
    interceptors: { activity: [() => ({ inbound: classifyFailures(defects) })], ...(options.workflowBundle ? {} : { workflowModules: [SEALED_INPUTS_PATH] }) },
  });
}
