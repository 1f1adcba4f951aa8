/**
 * The long-lived things a process opens once at start and closes at stop:
 * the archive database, one Temporal client and a logger.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino, { type Logger } from 'pino';
import { openDb, type Db } from '../store/db';
import type { Config } from './env';

export interface Resources {
  db: Db;
  connection: Connection;
  client: Client;
  logger: Logger;
  close(): Promise<void>;
}

export function pgliteDir(config: Config): string {
  return path.join(config.dataDir, 'archive');
}

export async function openResources(config: Config, name: string): Promise<Resources> {
  const logger = pino({ name, level: config.LOG_LEVEL, redact: ['req.headers.authorization'] });
  const db = await openDb({ databaseUrl: config.DATABASE_URL, pgliteDir: pgliteDir(config) });
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  } catch (err) {
    await db.close();
    throw new Error(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS): ${(err as Error).message}`);
  }
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  return {
    db,
    connection,
    client,
    logger,
    async close() {
      await connection.close();
      await db.close();
    },
  };
}
