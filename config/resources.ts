/**
 * The long-lived things a process opens once at start and closes at stop:
 * the archive database, one Temporal client and a logger, and the data
 * converter that encrypts what the client and the worker send to Temporal.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import pino, { type Logger } from 'pino';
import type { NoticeSettings } from '../activities/notices';
import type { Channel } from '../services/notices/channels';
import { emailChannel } from '../services/notices/email';
import { webhookChannel } from '../services/notices/webhook';
import { caseDataConverter } from '../services/codec/codec';
import { loadOrCreatePayloadKeys, missingKeyLine, missingPayloadKeys, type MissingPayloadKey, type PayloadKeyring } from '../services/codec/keys';
import { CaseKeyRecorder } from '../store/case-payload-keys';
import { openDb, type Db, type DbOptions } from '../store/db';
import { loadAuthorities, type Authorities } from './authorities';
import { dataDirWarnings, prepareDataDir } from './data-dir';
import type { Config } from './env';
import { temporalConnectionOptions } from './temporal-connection';

export interface Resources {
  db: Db;
  connection: Connection;
  client: Client;
  logger: Logger;
  payloadKeys: PayloadKeyring;
  /** The one data converter of the process: its client's and its worker's. */
  dataConverter: DataConverter;
  /** How notices leave besides the inbox (SMTP_URL, WEBHOOK_URL). */
  notices: NoticeSettings;
  /** The authorities documents and notices name (AUTHORITIES_FILE or the embedded default), validated at start. */
  authorities: Authorities;
  /**
   * The payload keys open cases were sealed with that this process lacks, each logged once in one line
   * naming it and its cases (asked once per process: the embedded process's worker and API share it).
   */
  checkPayloadKeys(): Promise<MissingPayloadKey[]>;
  close(): Promise<void>;
}

export function noticeSettings(config: Config): NoticeSettings {
  const channels: Channel[] = [];
  if (config.SMTP_URL) channels.push(emailChannel({ url: config.SMTP_URL, from: config.SMTP_FROM }));
  if (config.WEBHOOK_URL && config.WEBHOOK_SECRET) channels.push(webhookChannel({ url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET }));
  return { channels, maxAttempts: config.NOTIFY_MAX_ATTEMPTS };
}

export function pgliteDir(config: Config): string {
  return path.join(config.dataDir, 'archive');
}

/** The archive database as the configuration names it: a PostgreSQL server, or PGlite under DATA_DIR with its buffer cache. */
export function archiveOptions(config: Config): DbOptions {
  return { databaseUrl: config.DATABASE_URL, pgliteDir: pgliteDir(config), pgliteBuffersMb: config.ARCHIVE_BUFFERS_MB, waitMs: config.STARTUP_WAIT_SECONDS * 1000 };
}

/** Start-up waits for the Temporal server (it may start after us, or be restarting), then says why it gave up. */
export async function connectToTemporal(config: Config, onWait: (message: string) => void): Promise<Connection> {
  const started = Date.now();
  const options = temporalConnectionOptions(config);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await Connection.connect(options);
    } catch (err) {
      const why = (err as Error).message;
      if (Date.now() - started >= config.STARTUP_WAIT_SECONDS * 1000) {
        throw new Error(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS) within ${config.STARTUP_WAIT_SECONDS} s: ${why}`);
      }
      onWait(`waiting for Temporal at ${config.TEMPORAL_ADDRESS} (try ${attempt}): ${why}`);
      await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5_000)));
    }
  }
}

export async function openResources(config: Config, name: string): Promise<Resources> {
  const logger = pino({ name, level: config.LOG_LEVEL, redact: ['req.headers.authorization'] });
  // Before anything is written there: the data folder and everything in it for this user alone.
  prepareDataDir(config.dataDir);
  for (const line of dataDirWarnings(config.dataDir)) logger.warn(line);
  const payloadKeys = config.payloadKeys ?? loadOrCreatePayloadKeys(config.dataDir);
  // Every (case, key) this process seals with goes to the archive's table of keys, for the start-up check.
  const keyUse = new CaseKeyRecorder();
  const dataConverter = caseDataConverter(payloadKeys, { onSeal: keyUse.record });
  const authorities = loadAuthorities(config.AUTHORITIES_FILE);
  const db = await openDb({ ...archiveOptions(config), onConnectionProblem: (message) => logger.warn(message) });
  let connection: Connection;
  try {
    connection = await connectToTemporal(config, (message) => logger.warn(message));
  } catch (err) {
    await db.close();
    throw err;
  }
  keyUse.attach(db, (message) => logger.warn(message));
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  let keyCheck: Promise<MissingPayloadKey[]> | undefined;
  const checkPayloadKeys = () =>
    (keyCheck ??= missingPayloadKeys(payloadKeys, db, { client, namespace: config.TEMPORAL_NAMESPACE }).then(({ missing, notes }) => {
      for (const note of notes) logger.warn(note);
      for (const key of missing) logger.error({ payloadKey: key.keyId, cases: key.cases.length }, missingKeyLine(key, payloadKeys));
      return missing;
    }));
  logger.info({ payloadKeys: payloadKeys.keys.map((k) => k.id), current: payloadKeys.current }, 'payload keys');
  const notices = noticeSettings(config);
  logger.info({ channels: ['inbox', ...notices.channels.map((c) => c.name)] }, 'notice channels');
  return {
    db,
    connection,
    client,
    logger,
    payloadKeys,
    dataConverter,
    notices,
    authorities,
    checkPayloadKeys,
    async close() {
      for (const channel of notices.channels) channel.close?.();
      await connection.close();
      await db.close();
    },
  };
}
