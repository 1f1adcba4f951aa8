/**
 * Builds the worker that runs case workflows and their activities. Tests call
 * this too, with their own connection, task queue and dependencies.
 */
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities';

/**
 * How long a stopping worker lets the activities it runs finish (a document
 * issued, a notice sent) before it cancels them. docker-compose.yml's
 * stop_grace_period for the worker is this plus the time to close connections.
 */
export const WORKER_SHUTDOWN_GRACE_TIME = '30 seconds';

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dependencies: ActivityDependencies;
  /** A prebuilt bundle (tests bundle once per file); otherwise the workflows are bundled from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * The Worker Deployment Version this worker serves (production). Cases are
   * AUTO_UPGRADE: a case moves to the deployment's current version at its next
   * workflow task and never back, so a build must replay every running case's
   * history (changes behind `patched()`), and no case waits months for an old
   * build to be kept alive. Unset: an unversioned worker (tests, `npm start`).
   */
  deployment?: WorkerDeploymentVersion;
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(options.dependencies),
    ...(options.deployment
      ? { workerDeploymentOptions: { version: options.deployment, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' as const } }
      : {}),
    ...(options.shutdownGraceTime ? { shutdownGraceTime: options.shutdownGraceTime } : {}),
  });
}
