/**
 * Runs the case worker until SIGINT/SIGTERM; the SDK then stops polling and
 * lets running activities finish before the process exits.
 */
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfigOrExit, type Config } from '../config/env';
import { openResources, type Resources } from '../config/resources';
import { checkKeysOfRunningCases } from '../services/codec/keys';
import { ensureDossierSweep } from './schedules';
import { createCaseWorker } from './worker';

export async function startWorker(config: Config, resources: Resources): Promise<{ worker: Worker; connection: NativeConnection }> {
  // Refuse to start rather than fail every task of a case it cannot decrypt.
  await checkKeysOfRunningCases(resources.client, config.TEMPORAL_NAMESPACE, resources.payloadKeys);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createCaseWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dependencies: { db: resources.db, client: resources.client, notices: resources.notices },
    dataConverter: resources.dataConverter,
    shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS}s`,
    ...(config.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } } : {}),
  });
  const sweep = await ensureDossierSweep(resources.client, config.TEMPORAL_TASK_QUEUE, config.DOSSIER_SWEEP_MINUTES);
  resources.logger.info({ schedule: sweep, everyMinutes: config.DOSSIER_SWEEP_MINUTES }, 'dossier sweep');
  return { worker, connection };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const resources = await openResources(config, 'worker');
  const { worker, connection } = await startWorker(config, resources);
  resources.logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
  await worker.run();
  await connection.close();
  await resources.close();
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`worker: ${err.message}\n`);
    process.exit(1);
  });
}
