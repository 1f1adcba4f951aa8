/**
 * Builds the worker that runs case workflows and their activities. Tests call
 * this too, with their own connection, task queue and dependencies.
 */
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities';

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dependencies: ActivityDependencies;
  /** caseDataConverter(keys) (services/codec/codec.ts): the same as the clients', or the worker cannot read what they send. */
  dataConverter: DataConverter;
  /** A prebuilt bundle (tests bundle once per file), built with the data converter's failureConverterPath; otherwise the workflows are bundled from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(options.dependencies),
    dataConverter: options.dataConverter,
  });
}
