/**
 * Runs the case worker until SIGINT/SIGTERM; the SDK then stops polling and
 * lets running activities finish before the process exits.
 */
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfigOrExit, type Config } from '../config/env';
import { openResources, type Resources } from '../config/resources';
import { ensureDossierSweep } from './schedules';
import { sweepArchivalCopies } from '../activities/documents';
import { libreOfficeRenderer } from '../services/documents/render-pdf';
import { createCaseWorker } from './worker';

export async function startWorker(config: Config, resources: Resources): Promise<{ worker: Worker; connection: NativeConnection }> {
  const renderer = libreOfficeRenderer();
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createCaseWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dependencies: { db: resources.db, client: resources.client, notices: resources.notices, authorities: resources.authorities, archivalRenderer: renderer },
    shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS}s`,
    ...(config.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } } : {}),
  });
  const sweep = await ensureDossierSweep(resources.client, config.TEMPORAL_TASK_QUEUE, config.DOSSIER_SWEEP_MINUTES);
  resources.logger.info({ schedule: sweep, everyMinutes: config.DOSSIER_SWEEP_MINUTES }, 'dossier sweep');
  // Documents of running cases get their archival copies within minutes here (the case renders any still missing when it closes),
  // as do documents issued before copies existed.
  const sweepCopies = () => void sweepArchivalCopies(resources.db, renderer, resources.logger);
  sweepCopies();
  setInterval(sweepCopies, 5 * 60_000).unref();
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
