/**
 * The archive database: PostgreSQL in production, PGlite (PostgreSQL compiled
 * to WebAssembly) embedded under the data folder otherwise. One SQL dialect and
 * one set of migrations serve both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ownerOnly } from '../config/data-dir';
import { migrate } from './migrations';

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Db extends Queryable {
  /** Runs `work` in one transaction: all of it commits, or none of it. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
}

export interface DbOptions {
  databaseUrl?: string | undefined;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  pgliteDir?: string;
  /** PGlite only: its buffer cache (PostgreSQL's shared_buffers), in MB; DEFAULT_PGLITE_BUFFERS_MB when unset. */
  pgliteBuffersMb?: number;
  /**
   * PGlite only: begin as a copy of this data folder (`migratedPgliteImage()`), skipping PostgreSQL's
   * initdb, which is most of the seconds a new embedded database takes. Migrations still run, and
   * do whatever the image lacks.
   */
  pgliteImage?: Blob | undefined;
  /** PostgreSQL only: a schema of its own (created if missing), so test runs never meet each other's rows. */
  schema?: string;
  /** PostgreSQL only: how long start-up waits for the server to answer (default 60 s). */
  waitMs?: number;
  /** PostgreSQL only: told of each failed try while waiting, and of connections the server drops later. */
  onConnectionProblem?: (message: string) => void;
}

/**
 * The embedded database's buffer cache. PostgreSQL's default of 128 MB, inside the worker's process,
 * held about 100 MiB of its resident memory once touched; the archive's working set is far smaller,
 * and pages that fall out of the buffers are still in the operating system's file cache. Measured:
 * a reopened archive 281 against 201 MiB resident, 2,000 inserts no slower; the bench's worker alone
 * 647 against 497 MiB.
 */
export const DEFAULT_PGLITE_BUFFERS_MB = 32;

/** PostgreSQL timeouts: no request waits forever on a server that went away or a statement that hangs. */
export const POSTGRES_TIMEOUTS = { connectMs: 5_000, statementMs: 30_000, idleInTransactionMs: 60_000 } as const;

/** Start-up waits for the server (it may start after us, or be restarting), then says why it gave up. */
async function waitForPostgres(pool: import('pg').Pool, url: string, options: DbOptions): Promise<void> {
  const waitMs = options.waitMs ?? 60_000;
  const started = Date.now();
  const where = (() => {
    try {
      const u = new URL(url);
      return `${u.hostname}:${u.port || 5432}`;
    } catch {
      return 'DATABASE_URL';
    }
  })();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await pool.query('select 1');
      return;
    } catch (err) {
      const why = (err as Error).message;
      if (Date.now() - started >= waitMs) {
        await pool.end().catch(() => undefined);
        throw new Error(`the archive database at ${where} (DATABASE_URL) did not answer within ${Math.round(waitMs / 1000)} s: ${why}`);
      }
      options.onConnectionProblem?.(`waiting for the archive database at ${where} (try ${attempt}): ${why}`);
      await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5_000)));
    }
  }
}

export async function openDb(options: DbOptions): Promise<Db> {
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options)
    : pgliteDb(await startPglite(options.pgliteDir ?? 'memory://', options.pgliteBuffersMb ?? DEFAULT_PGLITE_BUFFERS_MB, options.pgliteImage));
  try {
    if (options.databaseUrl) await whileHoldingMigrationLock(options.databaseUrl, () => migrate(db));
    else await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/**
 * Several processes (the workers, the API) start together on a new database:
 * one migrates while the others wait. Without this, their concurrent
 * `create table if not exists schema_migrations` collide in PostgreSQL's
 * catalogue and all but one fail to start. A session lock on a connection of
 * its own, so migrate() keeps using the pool.
 */
async function whileHoldingMigrationLock(url: string, work: () => Promise<void>): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  // A server restarting while we hold the lock fails the migration, not the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(7233000)');
    await work();
  } finally {
    await client.end();
  }
}

async function startPglite(dir: string, buffersMb: number, image?: Blob): Promise<import('@electric-sql/pglite').PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const onDisk = !dir.startsWith('memory://');
  if (onDisk) fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true, mode: 0o700 });
  const fresh = onDisk && !fs.existsSync(path.join(dir, 'PG_VERSION'));
  const pg = new PGlite(dir, { postgresqlconf: [`shared_buffers=${buffersMb}MB`], ...(image ? { loadDataDir: image } : {}) });
  await pg.waitReady;
  // PGlite sets the files of a new database folder to 0666 itself, whatever the umask (the files
  // PostgreSQL creates later follow the umask): the archive holds names in clear, so its own user only.
  if (fresh) ownerOnly(dir);
  return pg;
}

function pgliteDb(pg: import('@electric-sql/pglite').PGlite): Db {
  return {
    kind: 'pglite',
    async query(sql, params) {
      return (await pg.query(sql, params)).rows as never;
    },
    transaction(work) {
      return pg.transaction((tx) => work({ query: async (sql, params) => (await tx.query(sql, params)).rows as never }));
    },
    close: () => pg.close(),
  };
}

/** An empty embedded archive with every migration applied, as PGlite's dump of its data folder: what `pgliteImage` starts from. */
export async function migratedPgliteImage(): Promise<Blob> {
  const pg = await startPglite('memory://', DEFAULT_PGLITE_BUFFERS_MB);
  try {
    await migrate(pgliteDb(pg));
    return await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
}

async function openPostgres(url: string, options: DbOptions): Promise<Db> {
  const { Pool } = await import('pg');
  const { schema } = options;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a schema name: ${schema}`);
  const serverOptions = [`-c statement_timeout=${POSTGRES_TIMEOUTS.statementMs}`, `-c idle_in_transaction_session_timeout=${POSTGRES_TIMEOUTS.idleInTransactionMs}`];
  if (schema) serverOptions.push(`-c search_path=${schema}`);
  const pool = new Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: POSTGRES_TIMEOUTS.connectMs,
    // The client gives up a little after the server would have cancelled the statement.
    query_timeout: POSTGRES_TIMEOUTS.statementMs + 5_000,
    keepAlive: true,
    options: serverOptions.join(' '),
  });
  // An idle connection the server drops (a restart) is an event, not a crash: the pool opens a new one.
  pool.on('error', (err) => options.onConnectionProblem?.(`archive database connection lost: ${err.message}`));
  await waitForPostgres(pool, url, options);
  if (schema) await pool.query(`create schema if not exists ${schema}`);
  return {
    kind: 'postgres',
    async query(sql, params) {
      return (await pool.query(sql, params)).rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      // Between the statements of a transaction the connection is checked out but idle: if the server
      // goes away then, the driver emits 'error' on the client, and with no listener the process dies.
      // The next statement fails with it instead.
      const onError = (err: Error) => options.onConnectionProblem?.(`archive database connection lost in a transaction: ${err.message}`);
      client.on('error', onError);
      try {
        await client.query('begin');
        const result = await work({ query: async (sql, params) => (await client.query(sql, params)).rows });
        await client.query('commit');
        client.off('error', onError);
        client.release();
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        client.off('error', onError);
        // A connection that failed mid-transaction may be broken: drop it rather than hand it out again.
        client.release(err as Error);
        throw err;
      }
    },
    close: () => pool.end(),
  };
}
