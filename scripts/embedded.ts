/**
 * The worker and the API in one process, for the embedded setup of `npm start`:
 * the embedded PGlite database is a single-process database, so both share it
 * here. Production runs them as separate services on PostgreSQL (docker-compose.yml).
 */
import { loadConfigOrExit } from '../config/env';
import { openResources } from '../config/resources';
import { startApi, stopServer } from '../api/server';
import { startWorker } from '../worker/main';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env, { api: true });
  const resources = await openResources(config, 'rongcuo');
  const { worker, connection } = await startWorker(config, resources);
  const running = worker.run();
  const server = await startApi(config, resources);
  resources.logger.info({ api: config.apiBaseUrl, taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker and API running');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stopServer(server);
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    await resources.close();
    process.exit(0);
  };
  // The worker's runtime also listens for these signals and begins its own shutdown.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await running.catch(async (err: Error) => {
    if (stopping) return;
    process.stderr.write(`worker stopped: ${err.message}\n`);
    process.exit(1);
  });
}

main().catch((err: Error) => {
  process.stderr.write(`rongcuo: ${err.message}\n`);
  process.exit(1);
});
