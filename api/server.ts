/**
 * Listens for HTTP and stops cleanly: on SIGINT/SIGTERM it stops taking
 * connections, lets requests in flight finish, then closes its resources.
 */
import type { Server } from 'node:http';
import { loadConfigOrExit, type Config } from '../config/env';
import { openResources, type Resources } from '../config/resources';
import { createApp } from './app';
import { createVerifier } from './auth';
import { loadOrCreateTokenSecret } from './token-secret';

export function verifierFor(config: Config) {
  return config.JWKS_URL
    ? createVerifier({ kind: 'jwks', jwksUrl: config.JWKS_URL, issuer: config.TOKEN_ISSUER!, audience: config.TOKEN_AUDIENCE! })
    : createVerifier({ kind: 'secret', secret: loadOrCreateTokenSecret(config.dataDir, config.TOKEN_SECRET) });
}

export async function startApi(config: Config, resources: Resources): Promise<Server> {
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
    rulebookParameters: config.rulebookParameters,
  });
  return new Promise((resolve, reject) => {
    const server = app.listen(config.API_PORT, config.API_HOST, () => resolve(server));
    server.once('error', (err) => reject(new Error(`cannot listen on ${config.API_HOST}:${config.API_PORT} (API_HOST/API_PORT): ${err.message}`)));
  });
}

export function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
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
