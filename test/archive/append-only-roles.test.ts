/**
 * On PostgreSQL, with the roles compose's postgres-roles job makes
 * (config/postgres/roles.sql, run with psql as it runs it) and the archive
 * migrated by its owner: the API's and workers' role (rongcuo_app) appends to
 * the access log and the notes and reads them, but cannot update, delete or
 * truncate either, nor move the chain's anchor; it prunes only through the
 * retention job's function, which keeps every record 180 days.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { appendAccessRecords, chainHead, pruneAndRecord, verifyAccessLog } from '../../store/access-log';
import { openDb, type Db } from '../../store/db';
import { startPostgres, type PostgresServer } from '../support/postgres';

let server: PostgresServer;
let owner: Db;
let app: Db;
const PASSWORDS = { TEMPORAL_DB_PASSWORD: 'temporal-pw', ARCHIVE_OWNER_PASSWORD: 'owner-pw', ARCHIVE_APP_PASSWORD: 'app-pw' };

beforeAll(async () => {
  server = await startPostgres();
  const psql = (args: string[], database = 'postgres') => {
    const result = spawnSync('psql', ['--no-psqlrc', '--quiet', '-h', '127.0.0.1', '-p', String(server.port), '-U', 'rongcuo', '-d', database, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...PASSWORDS },
    });
    if (result.status !== 0) throw new Error(`psql ${args.join(' ')}: ${result.stderr}`);
  };
  psql(['-c', 'create database rongcuo']);
  psql(['--file', path.join(__dirname, '..', '..', 'config', 'postgres', 'roles.sql')], 'rongcuo');
  const url = (role: string) => `postgres://${role}@127.0.0.1:${server.port}/rongcuo`;
  owner = await openDb({ databaseUrl: url('rongcuo_owner') });
  app = await openDb({ databaseUrl: url('rongcuo_app') });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await owner?.close();
  server?.stop();
});

const record = (at = new Date()) => ({
  at: at.toISOString(),
  sub: 'u-1',
  name: '张三',
  roles: ['auditor'],
  authority: 'binhai-jw',
  event: 'CASE_ACCESSED' as const,
  operation: 'getCase',
  caseId: 'case-binhai-2026-0001',
  documentId: null,
  address: '10.0.0.1',
  userAgent: 'test',
  status: 200,
  detail: null,
});

it('lets the app’s role append to the access log and read it, never change or remove a record', async () => {
  await appendAccessRecords(app, await chainHead(app), [record(), record()]);
  expect(await verifyAccessLog(app)).toMatchObject({ intact: true, records: 2 });
  for (const sql of [
    'update access_log set status = 500',
    'delete from access_log',
    'truncate access_log',
    `insert into access_log_anchor (through_seq, hash, pruned_at) values (1, 'x', now())`,
    'alter table access_log disable trigger user',
    'drop trigger access_log_append_only on access_log',
  ]) {
    await expect(app.query(sql)).rejects.toMatchObject({ code: '42501' });
  }
  // Its owner is held by the trigger still.
  await expect(owner.query('update access_log set status = 500')).rejects.toMatchObject({ code: '42501' });
  expect(await verifyAccessLog(app)).toMatchObject({ intact: true, records: 2 });
});

it('lets the app’s role prune only through the retention job, only what is older than 180 days', async () => {
  const old = new Date(Date.now() - 365 * 86_400_000);
  await appendAccessRecords(app, await chainHead(app), [record(old)]);
  // Appended after the two of the test before: nothing is pruned before a younger record.
  expect(await pruneAndRecord(app, 180)).toEqual({ pruned: 0, throughSeq: null });
  await expect(pruneAndRecord(app, 90)).rejects.toThrow(/at least 180 days/);
  expect(await verifyAccessLog(app)).toMatchObject({ intact: true });
});

it('lets the app’s role add notes and read them, never change or remove one', async () => {
  await app.query(`insert into case_notes (case_id, authority, author_sub, author_name, text) values ('case-binhai-2026-0001', 'binhai-jw', 'u-1', '张三', '备注')`);
  expect(await app.query('select text from case_notes')).toEqual([{ text: '备注' }]);
  for (const sql of ['update case_notes set text = $$改$$', 'delete from case_notes', 'truncate case_notes']) {
    await expect(app.query(sql)).rejects.toMatchObject({ code: '42501' });
  }
  await expect(owner.query('delete from case_notes')).rejects.toMatchObject({ code: '42501' });
});
