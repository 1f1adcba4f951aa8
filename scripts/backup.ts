/**
 * `npm run backup`: a backup of the embedded default (`npm start`'s data
 * folder), or with `--cluster DIR` of a running `npm run cluster`.
 *
 * The embedded default keeps Temporal's state in the dev server's SQLite file
 * (DATA_DIR/temporal.db) and the archive in PGlite's data folder
 * (DATA_DIR/archive), beside the keys and the token secret. The two
 * databases must come from the same moment (a case's workflow beside its
 * number and documents), and neither can be copied consistently while its
 * process writes it, so this backup is taken cold: with `npm start` stopped
 * (Ctrl-C), it packs the whole data folder into one file, mode 0600, which
 * holds the payload keys too: keep it where the data folder itself may be.
 * To restore: stop `npm start`, move the data folder aside, unpack the file
 * into a new one (`mkdir data && tar -xzf <file> -C data`), start again.
 *
 * `--cluster DIR --postgres-port N`: the running cluster's PostgreSQL (base
 * backup and archived WAL) and its secrets, as scripts/cluster-backup.ts
 * takes them; restore with `npm run cluster -- --restore-from <backup>`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Cluster, DEFAULT_PORTS, ROOT } from './cluster-topology';

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** The embedded data folder packed whole, or why not. */
export function backUpEmbedded(dataDir: string, to: string): { file: string; bytes: number } {
  if (!fs.existsSync(path.join(dataDir, 'archive', 'PG_VERSION')) && !fs.existsSync(path.join(dataDir, 'temporal.db'))) {
    throw new Error(`${dataDir} holds no embedded archive or Temporal database: is DATA_DIR right?`);
  }
  // PGlite writes postmaster.pid while the archive is open and removes it when it closes.
  if (fs.existsSync(path.join(dataDir, 'archive', 'postmaster.pid'))) {
    throw new Error(`the embedded archive in ${dataDir} is open: stop npm start first (Ctrl-C); if it is stopped, it did not stop cleanly, so start and stop it once`);
  }
  fs.mkdirSync(to, { recursive: true, mode: 0o700 });
  const file = path.join(to, `rongcuo-data-${stamp()}.tar.gz`);
  const result = spawnSync('tar', ['-czf', file, '-C', dataDir, '.'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tar: ${result.stderr || result.error?.message}`);
  fs.chmodSync(file, 0o600);
  return { file, bytes: fs.statSync(file).size };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: process.env.DATA_DIR ?? 'data' },
      to: { type: 'string', default: 'backups' },
      cluster: { type: 'string' },
      'postgres-port': { type: 'string', default: String(DEFAULT_PORTS.postgres) },
    },
  });
  const to = path.resolve(ROOT, values.to);
  if (values.cluster) {
    const dest = path.join(to, `rongcuo-cluster-${stamp()}`);
    const cluster = Cluster.prepare({ dataDir: path.resolve(ROOT, values.cluster), workers: 0, ports: { postgres: Number(values['postgres-port']) } });
    const manifest = await cluster.backup(dest);
    console.log(`[backup] ${dest}: base ${(manifest.baseBytes / 2 ** 20).toFixed(1)} MiB, WAL ${(manifest.walBytes / 2 ** 20).toFixed(1)} MiB (${manifest.walSegments} files), secrets ${(manifest.secretsBytes / 1024).toFixed(1)} KiB, in ${manifest.seconds.toFixed(1)} s`);
    console.log(`[backup] keep copying ${cluster.walArchiveDir} beside it; restore with: npm run cluster -- --restore-from ${path.relative(process.cwd(), dest)} --data-dir <a new folder>`);
    return;
  }
  const { file, bytes } = backUpEmbedded(path.resolve(ROOT, values['data-dir']), to);
  console.log(`[backup] ${path.relative(process.cwd(), file)}: ${(bytes / 2 ** 20).toFixed(1)} MiB (the data folder whole, its keys included: keep it as safe as the folder)`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`[backup] ${err.message}\n`);
    process.exit(1);
  });
}
