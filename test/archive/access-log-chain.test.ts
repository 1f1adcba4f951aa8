/**
 * The access log in the archive itself (store/access-log.ts, migration 31):
 * append-only for every role, tamper-evident by its hash chain (an edited,
 * removed or forged record is named by the verification, the command's as
 * much as the function's), safe with several writers, pruned only by the
 * retention job, only of what is older than 180 days, and never making a
 * reader wait beyond its bound.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccessLog } from '../../api/access-log';
import { appendAccessRecords, chainHead, ChainMoved, GENESIS_HASH, pruneAndRecord, verifyAccessLog, type AccessRecord } from '../../store/access-log';
import { openDb, type Db } from '../../store/db';
import { openTestDb } from '../support/test-db';

const record = (i: number, over: Partial<AccessRecord> = {}): AccessRecord => ({
  at: new Date(Date.now() - 1000 + i).toISOString(),
  sub: `u-${i}`,
  name: '张三',
  roles: ['officer'],
  authority: 'binhai-jw',
  event: 'CASE_ACCESSED',
  operation: 'getCase',
  caseId: 'case-binhai-2026-0001',
  documentId: null,
  address: '10.0.0.1',
  userAgent: 'test',
  status: 200,
  detail: { source: 'caseView' },
  ...over,
});

let db: Db;
beforeEach(async () => {
  db = await openTestDb();
});
afterEach(() => db?.close());

/** Runs `work` with the append-only triggers off, as only the database's owner can: what an intruder with its rights could do. */
async function asOwnerBypassingTriggers(work: () => Promise<unknown>): Promise<void> {
  await db.query('alter table access_log disable trigger user');
  try {
    await work();
  } finally {
    await db.query('alter table access_log enable trigger user');
  }
}

describe('the hash chain', () => {
  it('verifies from the genesis, and names the first edited record', async () => {
    let head = await chainHead(db);
    expect(head).toBe(GENESIS_HASH);
    for (let i = 0; i < 5; i += 1) head = await appendAccessRecords(db, head, [record(i)]);
    expect(await verifyAccessLog(db)).toEqual({ intact: true, records: 5, firstSeq: 1, lastSeq: 5, head, anchor: null });

    await asOwnerBypassingTriggers(() => db.query(`update access_log set sub = 'someone-else' where seq = 3`));
    expect(await verifyAccessLog(db)).toMatchObject({ intact: false, seq: 3, records: 2, reason: expect.stringContaining('edited') });
  });

  it('names a removed record, and one forged with its hash made anew, by the link of the next', async () => {
    let head = await chainHead(db);
    for (let i = 0; i < 5; i += 1) head = await appendAccessRecords(db, head, [record(i)]);
    await asOwnerBypassingTriggers(() => db.query('delete from access_log where seq = 2'));
    expect(await verifyAccessLog(db)).toMatchObject({ intact: false, seq: 3, reason: expect.stringContaining('removed') });
  });

  it('lets two writers at the same head not fork it: the later one is told, follows, and appends after', async () => {
    const head = await chainHead(db);
    await appendAccessRecords(db, head, [record(1)]);
    await expect(appendAccessRecords(db, head, [record(2)])).rejects.toBeInstanceOf(ChainMoved);
    // Two processes' buffers writing at once: every record in, one chain.
    const a = new AccessLog(db, { enabled: true, waitMs: 10_000 });
    const b = new AccessLog(db, { enabled: true, waitMs: 10_000 });
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).record([record(100 + i)])));
    const verified = await verifyAccessLog(db);
    expect(verified).toMatchObject({ intact: true, records: 41 });
  });
});

describe('append-only', () => {
  it('refuses to update, delete or truncate a record, to any role', async () => {
    await appendAccessRecords(db, await chainHead(db), [record(1), record(2)]);
    for (const sql of ['update access_log set status = 404', 'delete from access_log', 'truncate access_log', 'truncate access_log_anchor', `insert into access_log_anchor (through_seq, hash, pruned_at) values (1, 'x', now())`]) {
      await expect(db.query(sql)).rejects.toMatchObject({ code: '42501' });
    }
    expect(await verifyAccessLog(db)).toMatchObject({ intact: true, records: 2 });
  });
});

describe('retention', () => {
  it('prunes only records older than the retention (at least 180 days), from the oldest, logging itself; the chain goes on from the anchor', async () => {
    const day = 86_400_000;
    let head = await chainHead(db);
    head = await appendAccessRecords(db, head, [record(1, { at: new Date(Date.now() - 400 * day).toISOString() }), record(2, { at: new Date(Date.now() - 200 * day).toISOString() })]);
    head = await appendAccessRecords(db, head, [record(3, { at: new Date(Date.now() - 100 * day).toISOString() }), record(4)]);
    await expect(pruneAndRecord(db, 30)).rejects.toThrow(/at least 180 days/);
    await expect(db.query('select * from prune_access_log(179)')).rejects.toThrow(/at least 180 days/);

    expect(await pruneAndRecord(db, 180)).toEqual({ pruned: 2, throughSeq: 2 });
    const left = await db.query<{ seq: string; event: string; detail: Record<string, unknown> }>('select seq, event, detail from access_log order by seq');
    expect(left.map((r) => [Number(r.seq), r.event])).toEqual([[3, 'CASE_ACCESSED'], [4, 'CASE_ACCESSED'], [5, 'ACCESS_LOG_PRUNED']]);
    expect(left[2]!.detail).toEqual({ keepDays: 180, pruned: 2, throughSeq: 2 });
    expect(await verifyAccessLog(db)).toMatchObject({ intact: true, records: 3, firstSeq: 3, anchor: { throughSeq: 2 } });
    // Nothing older than 180 days is left: a second run prunes nothing, and says so too.
    expect(await pruneAndRecord(db, 180)).toEqual({ pruned: 0, throughSeq: null });
    expect(await verifyAccessLog(db)).toMatchObject({ intact: true, records: 4 });
  });
});

describe('a reader', () => {
  it('never waits for its record beyond the bound: held up, the record is refused in time', async () => {
    const log = new AccessLog(db, { enabled: true, waitMs: 300 });
    await log.record([record(1)]);
    // The archive busy with a transaction that holds it (PGlite: the one connection; PostgreSQL: a lock on the table).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const holder = db.transaction(async (tx) => {
      await tx.query('lock table access_log in access exclusive mode');
      await held;
    });
    const started = Date.now();
    await expect(log.record([record(2)])).rejects.toThrow(/not written within 300 ms/);
    const waited = Date.now() - started;
    release();
    await holder;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(2_000);
    // The log goes on.
    await log.record([record(3)]);
    expect(await verifyAccessLog(db)).toMatchObject({ intact: true });
  });
});

describe('npm run access-log -- verify', () => {
  const root = path.join(__dirname, '..', '..');
  const run = (dataDir: string, ...args: string[]) =>
    spawnSync(process.execPath, ['-r', path.join(root, 'test/support/register-ts.cjs'), path.join(root, 'scripts/access-log.ts'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'development' },
      timeout: 120_000,
    });

  it('reports an intact chain and its head, then the first broken link of an edited one', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-access-log-'));
    try {
      const archive = await openDb({ pgliteDir: path.join(dataDir, 'archive') });
      let head = await chainHead(archive);
      for (let i = 0; i < 4; i += 1) head = await appendAccessRecords(archive, head, [record(i)]);
      await archive.close();

      const intact = run(dataDir, 'verify');
      expect([intact.status, intact.stdout.trim()]).toEqual([0, `access log intact: 4 records (seq 1–4); head ${head}`]);

      const edited = await openDb({ pgliteDir: path.join(dataDir, 'archive') });
      await edited.query('alter table access_log disable trigger user');
      await edited.query(`update access_log set address = '192.0.2.1' where seq = 2`);
      await edited.close();
      const broken = run(dataDir, 'verify');
      expect(broken.status).toBe(1);
      expect(broken.stdout).toMatch(/^access log BROKEN at seq 2 \(.+\): its content does not match its hash: the record was edited; 1 records before it verified/);

      const refused = run(dataDir, 'prune', '--keep-days', '30');
      expect([refused.status, refused.stderr]).toEqual([2, expect.stringContaining('at least 180')]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
