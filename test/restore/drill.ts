/**
 * `npm run restore-drill`: back up the production topology, destroy it,
 * restore it into a fresh cluster, and show that nothing was lost.
 *
 * 1. Starts the topology (`npm run cluster`'s, scripts/cluster-topology.ts) in
 *    a folder of its own, opens cases of all five jurisdictions over HTTP,
 *    takes some to their end (documents, archival copies, dossiers) and some
 *    half way; the rest wait on their first deadline.
 * 2. Backs it up (scripts/cluster-backup.ts): PostgreSQL's base backup, its
 *    archived WAL, the cluster's secrets and credentials.
 * 3. Goes on after the backup (more cases, more steps), and ships the WAL
 *    archive as a shipper would: those are back only if the WAL replays.
 * 4. Destroys it: every process killed with SIGKILL, its folder deleted.
 * 5. Restores into a fresh cluster from the backup alone, and checks that
 *    every case (stage, outcome, every deadline with its last day and
 *    status), every document number and every file (the SHA-256 of its
 *    bytes, .docx and PDF) is as it was; then takes the half-way cases and a
 *    share of the waiting ones to their end, and opens one more case of each
 *    jurisdiction, whose number follows the last without a gap.
 *
 * Prints its figures (backup size, time to back up, to restore, to check) as
 * one line of JSON at the end. `--cases N` (default 1,000), `--closed`,
 * `--halfway`, `--keep` (leave the folders).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadOrCreateTokenSecret } from '../../api/token-secret';
import type { CaseState } from '../../domain/case/contract';
import { Cluster, MAX_TEMPORAL_FRONTEND_PORT, temporalPortFamily } from '../../scripts/cluster-topology';
import { signDevToken } from '../../scripts/token';
import { CaseClient, driveFullCase, FULL_PATH_JURISDICTIONS, openFullCase, type FullCaseApi, type OpenedCase } from '../support/full-cases';
import { freePort } from '../support/ports';

export interface DrillOptions {
  cases: number;
  closed: number;
  halfway: number;
  /** Where the clusters and the backup go; removed afterwards unless `keep`. */
  dir: string;
  keep?: boolean;
  say?: (line: string) => void;
}

export interface DrillFigures {
  cases: number;
  closedBeforeBackup: number;
  halfwayBeforeBackup: number;
  openedAfterBackup: number;
  stepsAfterBackup: number;
  documents: number;
  backupSeconds: number;
  baseBackupBytes: number;
  walBytes: number;
  walSegments: number;
  secretsBytes: number;
  restoreSeconds: number;
  checkSeconds: number;
  casesBack: number;
  casesDifferent: string[];
  documentsBack: number;
  documentsDifferent: string[];
  filesBack: number;
  caseNumbersNext: Record<string, { last: number; next: number }>;
  casesDrivenToTheirEnd: number;
  totalSeconds: number;
}

/** What must come back of a case: where it is, how it ended, each deadline's last day and status, its documents. */
function essentials(state: CaseState) {
  return {
    stage: state.stage,
    closed: state.closed,
    outcome: state.outcome ?? null,
    deadlines: state.deadlines.map((d) => [d.key, d.deadline, d.status]),
    documents: state.documents.map((d) => [d.kind, d.number, d.documentId]),
  };
}

interface ArchiveSnapshot {
  /** Each document's number, case, recorded SHA-256 and the SHA-256 of the .docx bytes stored. */
  documents: Map<string, string>;
  /** The archival PDF copies made so far (the worker renders missing ones within minutes: a copy may be new after the restore, never changed). */
  archivalCopies: Map<string, string>;
  files: number;
  caseNumbers: Map<string, number>;
  dossiers: number;
}

/** The archive's documents (number, case, the SHA-256 of each file's bytes as stored now), case numbers and dossiers. */
async function archiveSnapshot(url: string): Promise<ArchiveSnapshot> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const docs = await db.query<{ id: string; number: string; case_id: string; sha256: string; file_sha256: string | null; archival_sha256: string | null; archival_file_sha256: string | null }>(
      `select id, number, case_id, sha256, encode(sha256(file), 'hex') as file_sha256, archival_sha256, encode(sha256(archival_file), 'hex') as archival_file_sha256 from documents order by number`,
    );
    const numbers = await db.query<{ jurisdiction: string; year: number; last_number: number }>('select jurisdiction, year, last_number from case_numbers');
    const dossiers = await db.query<{ n: string }>('select count(*) as n from dossiers');
    return {
      documents: new Map(docs.rows.map((d) => [d.id, JSON.stringify([d.number, d.case_id, d.sha256, d.file_sha256])])),
      archivalCopies: new Map(docs.rows.flatMap((d) => (d.archival_sha256 ? [[d.id, JSON.stringify([d.archival_sha256, d.archival_file_sha256])] as const] : []))),
      files: docs.rows.reduce((n, d) => n + (d.file_sha256 ? 1 : 0) + (d.archival_file_sha256 ? 1 : 0), 0),
      caseNumbers: new Map(numbers.rows.map((r) => [`${r.jurisdiction}-${r.year}`, r.last_number])),
      dossiers: Number(dossiers.rows[0]!.n),
    };
  } finally {
    await db.end();
  }
}

/** A frontend port whose whole family (every process's ports) is free. */
async function freeTemporalPort(): Promise<number> {
  const net = await import('node:net');
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (let tries = 0; tries < 50; tries += 1) {
    const base = 21_000 + Math.floor(Math.random() * (MAX_TEMPORAL_FRONTEND_PORT - 21_000));
    let ok = true;
    for (const port of temporalPortFamily(base)) if (!(ok = await free(port))) break;
    if (ok) return base;
  }
  throw new Error('no free ports for the Temporal server');
}

async function inPool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  }));
}

function apiOf(cluster: Cluster): FullCaseApi {
  const secret = loadOrCreateTokenSecret(cluster.appDataDir);
  return { baseUrl: cluster.apiUrl, sign: (claims) => signDevToken(secret, claims), stepTimeoutMs: 300_000 };
}

export async function restoreDrill(options: DrillOptions): Promise<DrillFigures> {
  const say = options.say ?? ((line: string) => process.stdout.write(`[restore-drill] ${line}\n`));
  const t0 = Date.now();
  const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;
  fs.mkdirSync(options.dir, { recursive: true });
  // PostgreSQL runs as its own user, which must reach its data folders inside.
  fs.chmodSync(options.dir, 0o755);
  const backupDir = path.join(options.dir, 'backup');
  const ports = { postgres: await freePort(), api: await freePort(), temporal: await freeTemporalPort() };
  const clusterSay = (line: string) => say(`  ${line}`);

  // 1. The cluster, and cases in every state a case can be in.
  say('starting the topology…');
  let cluster = await Cluster.start({ dataDir: path.join(options.dir, 'original'), workers: 1, ports, say: clusterSay });
  let restored: Cluster | undefined;
  try {
    let api = apiOf(cluster);
    const opened: OpenedCase[] = [];
    const tOpen = Date.now();
    await inPool(Array.from({ length: options.cases }, (_, i) => i), 8, async (i) => {
      opened.push(await openFullCase(api, FULL_PATH_JURISDICTIONS[i % FULL_PATH_JURISDICTIONS.length]!, { actorId: `drill-${i}` }));
    });
    opened.sort((a, b) => a.caseId.localeCompare(b.caseId));
    say(`opened ${opened.length} cases in ${seconds(tOpen)} s`);
    const closing = opened.slice(0, options.closed);
    const halfway = opened.slice(options.closed, options.closed + options.halfway);
    const waiting = opened.slice(options.closed + options.halfway);
    await inPool(closing, 5, async (c) => void (await driveFullCase(c)));
    await inPool(halfway, 5, async (c) => void (await driveFullCase(c, { to: Math.floor(c.path.steps.length / 2) })));
    say(`took ${closing.length} cases to their end and ${halfway.length} half way`);

    // 2. The backup.
    say(`backing up into ${backupDir}…`);
    const backup = await cluster.backup(backupDir);
    say(`backed up in ${backup.seconds.toFixed(1)} s: base ${(backup.baseBytes / 2 ** 20).toFixed(1)} MiB, WAL ${(backup.walBytes / 2 ** 20).toFixed(1)} MiB in ${backup.walSegments} segments, secrets ${(backup.secretsBytes / 1024).toFixed(1)} KiB`);

    // 3. Work after the backup: back only through the archived WAL.
    const after: OpenedCase[] = [];
    for (const jurisdiction of FULL_PATH_JURISDICTIONS) after.push(await openFullCase(api, jurisdiction, { actorId: `drill-after-${jurisdiction}` }));
    const halfStep = (c: OpenedCase) => Math.floor(c.path.steps.length / 2);
    const stepped = halfway.slice(0, 5);
    await inPool(stepped, 5, async (c) => void (await driveFullCase(c, { from: halfStep(c), to: halfStep(c) + 1 })));
    // How many of its path's steps each case has taken: where it goes on from after the restore.
    const taken = new Map<string, number>([...halfway.map((c) => [c.caseId, halfStep(c)] as const), ...stepped.map((c) => [c.caseId, halfStep(c) + 1] as const)]);
    // What must come back: every case as the API shows it, every document and file as the archive holds it,
    // once nothing moves any more (a step's effects, a document, a dossier, finish after its answer).
    const all = [...opened, ...after];
    const snapshot = async () => {
      const cases = new Map<string, string>();
      await inPool(all, 8, async (c) => void cases.set(c.caseId, JSON.stringify(essentials(await c.client.getCase(c.caseId)))));
      const archive = await archiveSnapshot(cluster.databaseUrl);
      return { cases, archive, key: JSON.stringify([[...cases].sort(), [...archive.documents].sort(), [...archive.archivalCopies].sort(), [...archive.caseNumbers].sort(), archive.dossiers]) };
    };
    let settled = await snapshot();
    for (const quietBy = Date.now() + 180_000; ; ) {
      await new Promise((r) => setTimeout(r, 3_000));
      const again = await snapshot();
      if (again.key === settled.key) break;
      settled = again;
      if (Date.now() > quietBy) throw new Error('the cases did not come to rest within 180 s');
    }
    const before = settled.cases;
    const archiveBefore = settled.archive;
    // The WAL shipped as a shipper would have by now: what committed since the last shipped segment is what a loss costs.
    const shipped = await cluster.shipWal(backupDir);
    say(`after the backup: opened ${after.length} cases, took a step on ${stepped.length}; at rest, WAL shipped (${shipped.files} files)`);

    // 4. Destroyed: every process killed, the folder gone.
    say('destroying the cluster: every process killed, its folder deleted…');
    await cluster.destroy();
    fs.rmSync(path.join(options.dir, 'original'), { recursive: true, force: true });

    // 5. Restored from the backup alone, on the same addresses (a replacement host).
    const tRestore = Date.now();
    say('restoring into a fresh cluster…');
    restored = await Cluster.start({ dataDir: path.join(options.dir, 'restored'), workers: 1, ports, say: clusterSay, restoreFrom: backupDir });
    cluster = restored;
    const restoreSeconds = seconds(tRestore);
    say(`restored and serving in ${restoreSeconds} s`);
    api = apiOf(cluster);
    // The same users, their tokens signed with the restored secret.
    for (const c of all) c.client = new CaseClient(api, c.client.authority, c.client.actorId);

    const tCheck = Date.now();
    const different: string[] = [];
    await inPool(all, 8, async (c) => {
      const state = await c.client.getCase(c.caseId).catch((err: Error) => err);
      const now = state instanceof Error ? `missing: ${state.message}` : JSON.stringify(essentials(state));
      if (now !== before.get(c.caseId)) different.push(`${c.caseId}: before ${before.get(c.caseId)} after ${now}`);
    });
    const archiveAfter = await archiveSnapshot(cluster.databaseUrl);
    const documentsDifferent = [
      ...[...archiveBefore.documents].filter(([id, row]) => archiveAfter.documents.get(id) !== row).map(([id, row]) => `${id} ${row}: ${archiveAfter.documents.get(id) ?? 'missing'}`),
      ...[...archiveBefore.archivalCopies].filter(([id, row]) => archiveAfter.archivalCopies.get(id) !== row).map(([id, row]) => `${id} archival copy ${row}: ${archiveAfter.archivalCopies.get(id) ?? 'missing'}`),
    ];
    const checkSeconds = seconds(tCheck);
    say(`checked ${all.length} cases and ${archiveAfter.documents.size} documents in ${checkSeconds} s: ${different.length} cases and ${documentsDifferent.length} documents differ`);

    // 6. The cases go on to their end, and numbering goes on without a gap.
    const goOn = [...halfway, ...after, ...waiting.slice(0, Math.min(waiting.length, 10))];
    await inPool(goOn, 5, async (c) => {
      const final = await driveFullCase(c, { from: taken.get(c.caseId) ?? 0 });
      if (!final.closed || final.outcome !== c.path.outcome) different.push(`${c.caseId}: ended ${final.outcome} (closed ${final.closed}), not ${c.path.outcome}`);
    });
    const caseNumbersNext: DrillFigures['caseNumbersNext'] = {};
    for (const jurisdiction of FULL_PATH_JURISDICTIONS) {
      const next = await openFullCase(api, jurisdiction, { actorId: `drill-next-${jurisdiction}` });
      const year = Number(/-(\d{4})-\d+$/.exec(next.caseId)![1]);
      caseNumbersNext[jurisdiction] = { last: archiveBefore.caseNumbers.get(`${jurisdiction}-${year}`) ?? 0, next: Number(/-(\d+)$/.exec(next.caseId)![1]) };
      await next.client.getCase(next.caseId).catch(() => undefined);
    }
    say(`took ${goOn.length} cases on to their end; the next case numbers: ${JSON.stringify(caseNumbersNext)}`);

    return {
      cases: all.length,
      closedBeforeBackup: closing.length,
      halfwayBeforeBackup: halfway.length,
      openedAfterBackup: after.length,
      stepsAfterBackup: stepped.length,
      documents: archiveBefore.documents.size,
      backupSeconds: backup.seconds,
      baseBackupBytes: backup.baseBytes,
      walBytes: shipped.bytes,
      walSegments: shipped.files,
      secretsBytes: backup.secretsBytes,
      restoreSeconds,
      checkSeconds,
      casesBack: all.length - different.filter((d) => !d.includes('ended')).length,
      casesDifferent: different,
      documentsBack: [...archiveBefore.documents.keys()].filter((id) => archiveAfter.documents.get(id) === archiveBefore.documents.get(id)).length,
      documentsDifferent,
      filesBack: archiveAfter.files,
      caseNumbersNext,
      casesDrivenToTheirEnd: goOn.length,
      totalSeconds: seconds(t0),
    };
  } finally {
    await cluster.stop().catch(() => undefined);
    if (!options.keep) fs.rmSync(options.dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { cases: { type: 'string', default: '1000' }, closed: { type: 'string', default: '20' }, halfway: { type: 'string', default: '20' }, keep: { type: 'boolean', default: false } },
  });
  const whole = (name: string, v: string) => {
    if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a whole number`);
    return Number(v);
  };
  const figures = await restoreDrill({
    cases: whole('cases', values.cases),
    closed: whole('closed', values.closed),
    halfway: whole('halfway', values.halfway),
    dir: fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-restore-drill-')),
    keep: values.keep,
  });
  process.stdout.write(`[restore-drill] figures ${JSON.stringify(figures)}\n`);
  const ok = figures.casesDifferent.length === 0 && figures.documentsDifferent.length === 0 && Object.values(figures.caseNumbersNext).every((n) => n.next === n.last + 1);
  process.stdout.write(`[restore-drill] ${ok ? 'every case, deadline, document number and file is back, and cases went on to their end' : 'FAILED: see casesDifferent and documentsDifferent'}\n`);
  process.exit(ok ? 0 : 1);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`[restore-drill] ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
