/**
 * The embedded default's backup (`npm run backup`, scripts/backup.ts): the
 * data folder of a stopped `npm start` (the dev server's SQLite file, PGlite's
 * archive, the keys) packed whole, refused while the archive is open; the
 * folder destroyed and unpacked into a new one, on which the dev server and
 * the archive start again with the case, its deadline and its number, and the
 * case goes on, the next case taking the next number.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { beijingDate } from '../../domain/calendar';
import { actionUpdate, caseStateQuery, caseWorkflowId } from '../../domain/case/contract';
import { backUpEmbedded } from '../../scripts/backup';
import { openCase } from '../../services/cases/open-case';
import { openDb, type Db } from '../../store/db';
import { createCaseWorker } from '../../worker/worker';
import { officer as officerActor } from '../support/case-driver';
import { eventually } from '../support/eventually';
import { testDataConverter, testMatterIndex } from '../support/keys';
import { startDevServer, uniqueTaskQueue, workflowBundle } from '../support/temporal';

const TODAY = beijingDate(Date.now());
const YEAR = Number(TODAY.slice(0, 4));
const OPENER = { sub: 'officer-1', name: '李办案', authority: 'binhai-jw' };
const OPENING = { jurisdiction: 'binhai', subject: { name: '钱某', organisation: '某街道党工委' }, matter: '老旧小区改造中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕77号' }, eventDate: TODAY };

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-embedded-backup-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The embedded stack on a data folder: the dev server on its SQLite file, the archive in PGlite, a worker. */
async function onDataDir<T>(dataDir: string, taskQueue: string, work: (env: TestWorkflowEnvironment, db: Db) => Promise<T>): Promise<T> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const env = await startDevServer({ dbFile: path.join(dataDir, 'temporal.db') });
  const db = await openDb({ pgliteDir: path.join(dataDir, 'archive') });
  try {
    const worker = await createCaseWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, dependencies: { db, client: env.client }, dataConverter: testDataConverter, workflowBundle: await workflowBundle() });
    return await worker.runUntil(work(env, db));
  } finally {
    await db.close();
    await env.teardown();
  }
}

const offered = async (env: TestWorkflowEnvironment, caseId: string, action: string) =>
  eventually(async () => {
    const state = await env.client.workflow.getHandle(caseId).query(caseStateQuery);
    expect(state.availableActions.map((a) => a.name)).toContain(action);
    return state;
  }, 60_000);

it('packs a stopped data folder whole, refuses an open one, and restores it to run on', async () => {
  const dataDir = path.join(tmp, 'data');
  const taskQueue = uniqueTaskQueue('embedded-backup');
  const first = caseWorkflowId('binhai', YEAR, 1);
  const before = await onDataDir(dataDir, taskQueue, async (env, db) => {
    expect((await openCase({ db, client: env.client, taskQueue, matterIndex: testMatterIndex }, OPENER, OPENING)).caseId).toBe(first);
    const state = await offered(env, first, 'fileApplication');
    // While the archive is open, no backup: it would not be consistent with the dev server's file.
    expect(() => backUpEmbedded(dataDir, path.join(tmp, 'backups'))).toThrow(/the embedded archive in .* is open: stop npm start first/);
    return state;
  });

  const { file, bytes } = backUpEmbedded(dataDir, path.join(tmp, 'backups'));
  expect(bytes).toBeGreaterThan(0);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  fs.rmSync(dataDir, { recursive: true, force: true });

  const restoredDir = path.join(tmp, 'restored');
  fs.mkdirSync(restoredDir, { mode: 0o700 });
  expect(spawnSync('tar', ['-xzf', file, '-C', restoredDir]).status).toBe(0);
  await onDataDir(restoredDir, taskQueue, async (env, db) => {
    const state = await offered(env, first, 'fileApplication');
    expect([state.caseId, state.stage, state.subject.name, state.deadlines.map((d) => [d.key, d.deadline, d.status])]).toEqual([
      before.caseId, before.stage, before.subject.name, before.deadlines.map((d) => [d.key, d.deadline, d.status]),
    ]);
    // The case goes on, and the next case takes the next number.
    await env.client.workflow.getHandle(first).executeUpdate(actionUpdate('fileApplication'), { args: [{ filedBy: 'subject', receivedOn: TODAY, summary: '书面申请', actor: officerActor }] });
    expect((await openCase({ db, client: env.client, taskQueue, matterIndex: testMatterIndex }, OPENER, OPENING)).caseId).toBe(caseWorkflowId('binhai', YEAR, 2));
    for (const id of [first, caseWorkflowId('binhai', YEAR, 2)]) await env.client.workflow.getHandle(id).terminate('test done');
  });
}, 240_000);
