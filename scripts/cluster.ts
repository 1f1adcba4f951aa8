/**
 * `npm run cluster -- --workers 3`: the production topology of
 * docker-compose.yml on this machine, without Docker (scripts/cluster-topology.ts).
 * Prints where everything is; Ctrl-C stops it in order: the workers drain,
 * then the API, the Temporal server and PostgreSQL stop.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { tokenSecretFile } from '../api/token-secret';
import { Cluster, DEFAULT_PORTS, ROOT, TEMPORAL_SERVICES } from './cluster-topology';

const port = z.coerce.number().int().min(1024).max(65_000);
const argsSchema = z.object({
  workers: z.coerce.number().int().min(1).max(16),
  'data-dir': z.string().min(1),
  'postgres-port': port,
  'temporal-port': port.min(1400),
  'api-port': port,
  'restore-from': z.string().min(1).optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workers: { type: 'string', default: '3' },
      'data-dir': { type: 'string', default: path.join('data', 'cluster') },
      'postgres-port': { type: 'string', default: String(DEFAULT_PORTS.postgres) },
      'temporal-port': { type: 'string', default: String(DEFAULT_PORTS.temporal) },
      'api-port': { type: 'string', default: String(DEFAULT_PORTS.api) },
      // A backup (npm run backup -- --cluster …) to start from, into a --data-dir that holds no cluster yet.
      'restore-from': { type: 'string' },
    },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    process.stderr.write(`cluster: ${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}\n`);
    process.exit(2);
  }
  const args = parsed.data;
  const dataDir = path.resolve(ROOT, args['data-dir']);
  const started = Date.now();
  const cluster = Cluster.prepare({
    dataDir,
    workers: args.workers,
    ports: { postgres: args['postgres-port'], temporal: args['temporal-port'], api: args['api-port'] },
    ...(args['restore-from'] ? { restoreFrom: path.resolve(process.cwd(), args['restore-from']) } : {}),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('');
    await cluster.stop();
    console.log('[cluster] stopped');
    process.exit(0);
  };
  // From the first process on: a Ctrl-C while starting stops what has started, in order.
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await cluster.up();

  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  const appData = cluster.appDataDir;
  const admin = cluster.temporalCredentials('temporal-setup');
  const cli = { args: cluster.operatorCli({ ...admin, TEMPORAL_TOKEN_FILE: undefined }).args, env: { TEMPORAL_TLS_CERT: admin.TEMPORAL_TLS_CERT, TEMPORAL_TOKEN_FILE: admin.TEMPORAL_TOKEN_FILE } };
  console.log(`
  容错免责 rongcuo: the production topology (docker-compose.yml), up in ${Math.round((Date.now() - started) / 1000)} s.

  API              ${cluster.apiUrl}/v1   (docs ${cluster.apiUrl}/docs)
  Temporal         ${cluster.temporalAddress}   server ${cluster.compose.dotenv.TEMPORAL_VERSION}, namespace ${cluster.namespace}, as separate processes: ${TEMPORAL_SERVICES.map((s) => `${cluster.replicasOf(s)} ${s}`).join(', ')}
  PostgreSQL       127.0.0.1:${cluster.ports.postgres}   ${cluster.compose.dotenv.POSTGRES_VERSION?.split('.')[0]} from Debian: archive ${new URL(cluster.databaseUrl).pathname.slice(1)}, Temporal temporal and temporal_visibility
  Workers          ${cluster.workers.map((w) => `${w.name} (pid ${w.pid})`).join(', ')} on task queue ${cluster.taskQueue}, deployment ${cluster.deploymentName ?? 'none'}
  Data and logs    ${rel(dataDir)}   (logs in ${rel(cluster.logsDir)})

  A token for the API (its secret is ${rel(tokenSecretFile(appData))}):
    DATA_DIR=${rel(appData)} npm run -s token -- --role officer --authority binhai-jw --sub u123 --name 张三
  Cases in the Temporal CLI, as the operator (the admin certificate and token in ${rel(path.dirname(cli.env.TEMPORAL_TLS_CERT!))}):
    TEMPORAL_API_KEY=$(cat ${rel(cli.env.TEMPORAL_TOKEN_FILE!)}) .tools/venv/bin/temporal workflow list ${cli.args.map((a) => (a.startsWith('/') ? rel(a) : a)).join(' ')}

  Ctrl-C stops the workers (they drain), then the API, the Temporal server and PostgreSQL.
`);
}

main().catch((err: Error) => {
  process.stderr.write(`[cluster] ${err.message}\n`);
  process.exit(1);
});
