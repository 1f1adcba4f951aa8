/**
 * The archive database: PostgreSQL in production, PGlite (PostgreSQL compiled
 * to WebAssembly) embedded under the data folder otherwise. One SQL dialect and
 * one set of migrations serve both.
 */
import fs from 'node:fs';
import path from 'node:path';
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
  /** PostgreSQL only: a schema of its own (created if missing), so test runs never meet each other's rows. */
  schema?: string;
}

export async function openDb(options: DbOptions): Promise<Db> {
  const db = options.databaseUrl ? await openPostgres(options.databaseUrl, options.schema) : await openPglite(options.pgliteDir ?? 'memory://');
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
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(7233000)');
    await work();
  } finally {
    await client.end();
  }
}

async function openPglite(dir: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (!dir.startsWith('memory://')) fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
  const pg = new PGlite(dir);
  await pg.waitReady;
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

async function openPostgres(url: string, schema?: string): Promise<Db> {
  const { Pool } = await import('pg');
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a schema name: ${schema}`);
  const pool = new Pool({ connectionString: url, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  if (schema) await pool.query(`create schema if not exists ${schema}`);
  await pool.query('select 1');
  return {
    kind: 'postgres',
    async query(sql, params) {
      return (await pool.query(sql, params)).rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work({ query: async (sql, params) => (await client.query(sql, params)).rows });
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
