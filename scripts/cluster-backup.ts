/**
 * Backups of the production topology's PostgreSQL (`npm run cluster`, and the
 * same commands against compose's postgres service): a base backup of the
 * whole PostgreSQL cluster plus its continuously archived WAL, and a restore
 * of both into a fresh cluster.
 *
 * One PostgreSQL cluster holds the three databases (Temporal's, its
 * visibility, the archive), and a base backup is one consistent snapshot of
 * all of them: a case's workflow, its number and its documents are restored
 * from the same moment, so the next case number never names a workflow that
 * Temporal already has. The WAL archived since (archive_command in compose's
 * postgres command) replays on top, to the last archived segment: what was
 * committed until at most archive_timeout (60 s) before the loss.
 *
 * What PostgreSQL does not hold goes beside it: the cluster's secrets and the
 * Temporal credentials (the folders temporal-pki writes). The payload keys are
 * among them under `npm run cluster`; in compose they are the operator's
 * PAYLOAD_KEYS, kept in the operator's secret store: a backup without its keys
 * is unreadable, which is what encryption is for.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** What a backup folder holds. */
export const BACKUP_FILES = {
  /** pg_basebackup's output: the data folder (base.tar.gz) and the WAL it needs to be consistent (pg_wal.tar.gz). */
  base: 'base',
  /** The cluster's secrets and credentials: everything in its data folder but PostgreSQL's own files and logs. */
  secrets: 'secrets.tar.gz',
  /** The archived WAL, copied at the time of the copy (a shipper does this continuously). */
  wal: 'wal',
  manifest: 'manifest.json',
} as const;

export interface BackupManifest {
  takenAt: string;
  postgresVersion: string;
  baseBytes: number;
  secretsBytes: number;
  walBytes: number;
  walSegments: number;
}

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number; cwd?: string } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', env: options.env ?? process.env, uid: options.uid, gid: options.gid, cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')}: ${result.error?.message ?? result.stderr.trim() ?? `exit ${result.status}`}`);
  return result.stdout;
}

function folderBytes(dir: string): { bytes: number; files: number } {
  if (!fs.existsSync(dir)) return { bytes: 0, files: 0 };
  let bytes = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    files += 1;
  }
  return { bytes, files };
}

export interface PostgresServer {
  /** Debian's binaries of the pinned release (pg_basebackup, psql). */
  pgBin: string;
  port: number;
  /** A role allowed to replicate: the bootstrap superuser (POSTGRES_USER). */
  user: string;
  password: string;
}

/**
 * A base backup of the running server into `dest/base.tar.gz` (pg_basebackup over TCP, as a replica
 * would connect, with the WAL it needs streamed in), then a WAL switch, so the segment in use is
 * archived now rather than within archive_timeout.
 */
export function takeBaseBackup(server: PostgresServer, dest: string): { bytes: number } {
  fs.mkdirSync(dest, { recursive: true, mode: 0o700 });
  const env = { ...process.env, PGPASSWORD: server.password };
  const staging = path.join(dest, 'base.partial');
  fs.rmSync(staging, { recursive: true, force: true });
  // -Ft -z: one gzipped tar of the data folder (base.tar.gz) and one of the streamed WAL (pg_wal.tar.gz); -c fast: start at once.
  run(path.join(server.pgBin, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(server.port), '-U', server.user, '-D', staging, '-Ft', '-z', '-X', 'stream', '-c', 'fast', '--no-password'], { env });
  fs.renameSync(staging, path.join(dest, BACKUP_FILES.base));
  switchWal(server);
  return { bytes: folderBytes(path.join(dest, BACKUP_FILES.base)).bytes };
}

/** Closes the WAL segment in use, so it is archived now rather than within archive_timeout. */
export function switchWal(server: PostgresServer): void {
  run(path.join(server.pgBin, 'psql'), ['-h', '127.0.0.1', '-p', String(server.port), '-U', server.user, '-d', 'postgres', '--no-psqlrc', '-qAt', '-c', 'select pg_switch_wal()'], { env: { ...process.env, PGPASSWORD: server.password } });
}

/** The cluster's secrets and credentials: its data folder without PostgreSQL's files, the WAL archive and the logs. */
export function backUpSecrets(dataDir: string, dest: string, exclude: string[]): { bytes: number } {
  const file = path.join(dest, BACKUP_FILES.secrets);
  run('tar', ['-czf', file, '-C', dataDir, ...exclude.flatMap((e) => ['--exclude', `./${e}`]), '.']);
  fs.chmodSync(file, 0o600);
  return { bytes: fs.statSync(file).size };
}

/** A copy of the archived WAL: what a WAL shipper keeps off the host, continuously. */
export function copyWalArchive(walArchive: string, dest: string): { bytes: number; files: number } {
  const target = path.join(dest, BACKUP_FILES.wal);
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  for (const name of fs.readdirSync(walArchive)) {
    // A segment still being archived has its temporary name (compose's archive_command renames it when whole).
    if (name.endsWith('.partial')) continue;
    const copy = path.join(target, name);
    if (!fs.existsSync(copy) || fs.statSync(copy).size !== fs.statSync(path.join(walArchive, name)).size) fs.copyFileSync(path.join(walArchive, name), copy);
  }
  return folderBytes(target);
}

export function writeManifest(dest: string, manifest: BackupManifest): void {
  fs.writeFileSync(path.join(dest, BACKUP_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

export function readManifest(backup: string): BackupManifest {
  const file = path.join(backup, BACKUP_FILES.manifest);
  if (!fs.existsSync(file)) throw new Error(`${backup} is not a backup: it has no ${BACKUP_FILES.manifest}`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
}

/** The secrets and credentials of a backup, into a new cluster's data folder. */
export function restoreSecrets(backup: string, dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  run('tar', ['-xzf', path.join(backup, BACKUP_FILES.secrets), '-C', dataDir]);
}

/**
 * A base backup unpacked into an empty data folder, set to recover: PostgreSQL replays the backup's own
 * WAL, then every archived segment `restoreCommand` hands it, to the end of the archive, and opens.
 */
export function restoreBaseBackup(backup: string, pgdata: string, owner: { uid: number; gid: number } | undefined): void {
  if (fs.existsSync(path.join(pgdata, 'PG_VERSION'))) throw new Error(`${pgdata} already holds a PostgreSQL cluster: restore into a fresh data folder`);
  fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  const base = path.join(backup, BACKUP_FILES.base);
  run('tar', ['-xzf', path.join(base, 'base.tar.gz'), '-C', pgdata]);
  fs.mkdirSync(path.join(pgdata, 'pg_wal'), { recursive: true, mode: 0o700 });
  if (fs.existsSync(path.join(base, 'pg_wal.tar.gz'))) run('tar', ['-xzf', path.join(base, 'pg_wal.tar.gz'), '-C', path.join(pgdata, 'pg_wal')]);
  // Recovery from the archive, then promotion at its end (no target: everything archived is replayed).
  fs.writeFileSync(path.join(pgdata, 'recovery.signal'), '');
  if (owner) {
    run('chown', ['-R', `${owner.uid}:${owner.gid}`, pgdata]);
    fs.chmodSync(pgdata, 0o700);
  }
}

/** The restore_command for a copy of the archived WAL, gzipped as compose's archive_command writes it (PostgreSQL asks for each file by name, %f, into %p). */
export function restoreCommand(walCopy: string): string {
  return `gunzip -c ${walCopy}/%f.gz > %p`;
}

export function postgresVersion(pgBin: string): string {
  return run(path.join(pgBin, 'postgres'), ['--version']).trim();
}
