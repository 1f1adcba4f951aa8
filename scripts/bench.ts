/**
 * Prints how fast and how big the parts on a case's path are, on this machine:
 *   npm run bench
 * Figures, not assertions: timed tests are flaky on shared machines, so speed
 * and memory are measured here and read by people.
 *
 * - statutory calendar: deadlines counted per second (working days, days, months);
 * - documents: a GB/T 9704 .docx rendered, numbered and stored (sequential and 50 at once);
 * - notices: inbox deliveries per second, and a repeat (the retry path);
 * - case file: a 50-page PDF and a page scan recognised, hashed (SHA-256, SM3),
 *   sealed and stored as materials; a case's file of that PDF, the scan and a
 *   document bound into one PDF/A and checked (veraPDF where installed);
 * - replay: the recorded case histories replayed on the current workflow code,
 *   which is what a worker does for a case that is not in its cache;
 * - memory: heap and resident size at the end.
 * The archive is embedded PGlite in memory; PostgreSQL is faster for concurrent writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { boundWorkflowOf, caseDataConverter, ENCODING_ENCRYPTED } from '../services/codec/codec';
import { bundleCaseWorkflows } from '../worker/worker';
import { addDays, type IsoDate, type PeriodUnit } from '../domain/calendar';
import { loadStatutoryCalendar } from '../services/calendar/statutory-calendar';
import { renderDocx } from '../services/documents/render-docx';
import { deliverNotice } from '../services/notices/deliver';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { bindCase } from '../activities/case-file';
import { renderArchivalCopies } from '../activities/documents';
import { loadAuthorities } from '../config/authorities';
import type { CaseState } from '../domain/case/contract';
import { rulebookInForce } from '../domain/rulebooks';
import { openingState } from '../domain/case/opening';
import { checkMaterialFile, MATERIAL_FORMATS } from '../services/casefile/file-types';
import { parsePayloadKeys, payloadKeyring } from '../services/codec/keys';
import { libreOfficeRenderer } from '../services/documents/render-pdf';
import { openDb, type Db } from '../store/db';
import { recordDocument, type NewDocument } from '../store/documents';
import { recordMaterial } from '../store/materials';

const ROOT = path.resolve(__dirname, '..', '..');
const report = (what: string, figure: string) => {
  process.stdout.write(`  ${what.padEnd(58)} ${figure}\n`);
};
const perSecond = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en')} /s`;
const each = (n: number, ms: number) => `${(ms / n).toFixed(2)} ms each`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

function documentOf(i: number, prefix: string): NewDocument {
  return {
    caseId: `bench-case-${i}`,
    idempotencyKey: `bench:${prefix}:${i}`,
    kind: 'exemptionDecision',
    prefix,
    year: 2026,
    title: '容错免责决定书',
    body: '经调查核实，该同志在推进改革中先行先试，出现失误符合容错情形。\n决定：予以免责。',
    article: '第十五条',
    recipients: ['被调查对象', '所在党组织'],
    copyTo: ['同级组织部门'],
    issuedBy: { sub: 'bench', name: '基准' },
    render: async (number) => ({
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      bytes: await renderDocx({
        banner: '中共天津市滨海新区纪律检查委员会文件',
        number,
        title: '免责决定书',
        addressees: ['王某同志', '某街道党工委'],
        body: [{ text: '调查组查明，该同志在推进改革中先行先试，出现失误符合容错情形。' }, { text: '经集体研究，决定对王某同志予以免责。' }],
        signature: '中共天津市滨海新区纪律检查委员会',
        date: '2026-11-22',
        copyTo: ['中共天津市滨海新区委员会组织部'],
        printedBy: '中共天津市滨海新区纪律检查委员会办公室',
        printedOn: '2026-11-22',
      }),
    }),
  };
}

/** A PDF of `pages` A4 pages of text and a frame, as a typed report or a scan's OCR layer would be (not PDF/A: it is bound as page images). */
async function pdfOfPages(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i += 1) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`Evidence page ${i} of ${pages}`, { x: 72, y: 760, size: 18, font });
    for (let line = 0; line < 30; line += 1) page.drawText('The quick brown fox jumps over the lazy dog 0123456789', { x: 72, y: 700 - line * 18, size: 11, font });
  }
  return Buffer.from(await doc.save());
}

/** Uploading materials (type check, digests, sealing, storing) and binding a case's file of 50 pages and more. */
async function caseFileFigures(db: Db): Promise<void> {
  const keyring = payloadKeyring(parsePayloadKeys(`bench:${Buffer.alloc(32, 7).toString('base64')}`));
  const rulebook = rulebookInForce('binhai', '2026-11-22')!;
  const state: CaseState = {
    ...openingState({ caseId: 'case-binhai-2026-9999', rulebook, authority: 'binhai-jw', subject: { name: '王某', organisation: '某街道党工委' }, matter: '老旧小区改造中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕12号' }, eventDate: '2026-11-20', openedBy: { sub: 'bench', name: '基准' }, openedAt: new Date().toISOString() }),
    stage: 'closed',
    closed: true,
    outcome: 'exempt',
    archive: { archivedOn: '2026-12-01', reference: '滨纪档〔2026〕1号', archivedBy: { sub: 'bench', name: '基准' } },
  };
  const fifty = await pdfOfPages(50);
  const U = 10;
  const [, uploadMs] = await timed(async () => {
    for (let i = 0; i < U; i++) {
      const format = checkMaterialFile(fifty);
      await recordMaterial(db, keyring, { caseId: `bench-upload-${i}`, authority: 'binhai-jw', kind: 'evidence', title: `证据 ${i}`, source: '基准', obtainedBy: '基准', format, mediaType: MATERIAL_FORMATS[format].mediaType, bytes: fifty, uploadedBy: { sub: 'bench', name: '基准' } }, 1024 ** 3);
    }
  });
  report(`case file: a 50-page PDF (${Math.round(fifty.length / 1024)} KiB) checked, hashed, sealed, stored`, each(U, uploadMs));
  await recordMaterial(db, keyring, { caseId: state.caseId, authority: 'binhai-jw', kind: 'evidence', title: '施工合同（50页）', source: '某街道办事处', obtainedBy: '调取复印', format: 'pdf', mediaType: 'application/pdf', bytes: fifty, uploadedBy: { sub: 'bench', name: '基准' } }, 1024 ** 3);
  const renderer = libreOfficeRenderer();
  const authorities = loadAuthorities();
  const doc = await recordDocument(db, { ...documentOf(9999, '滨纪档'), caseId: state.caseId });
  await renderArchivalCopies(db, renderer, [doc.documentId]);
  // LibreOffice's first start in a process costs seconds of its own: once before the figure.
  await renderer.describe();
  const [bound, bindMs] = await timed(() => bindCase(db, { keyring, renderer, authorities }, state));
  report(
    `case file: bound (a 50-page PDF as page images, a document, cover, 目录, 备考表)`,
    `${(bindMs / 1000).toFixed(1)} s, ${bound.pages} pages, ${Math.round(bound.sizeBytes / 1024)} KiB; ${bound.validation.validator}: ${bound.validation.compliant ? 'PDF/A-2b' : 'not PDF/A'}`,
  );
}

async function main(): Promise<void> {
  // The replaying workers' state changes are not figures.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  process.stdout.write('rongcuo benchmark\n');
  const db = await openDb({ pgliteDir: 'memory://' });
  try {
    const calendar = await loadStatutoryCalendar({ db });
    const units: PeriodUnit[] = ['workingDays', 'days', 'months'];
    const N = 30_000;
    const [, calendarMs] = await timed(async () => {
      for (let i = 0; i < N; i++) calendar.deadline(addDays('2024-01-01' as IsoDate, i % 1000), { amount: 1 + (i % 30), unit: units[i % 3]! });
    });
    report('statutory calendar: deadlines counted', perSecond(N, calendarMs));

    const D = 100;
    const [, sequentialMs] = await timed(async () => {
      for (let i = 0; i < D; i++) await recordDocument(db, documentOf(i, '滨纪免'));
    });
    report(`documents: rendered, numbered, stored, one after another`, each(D, sequentialMs));
    const [, concurrentMs] = await timed(() => Promise.all(Array.from({ length: 50 }, (_, i) => recordDocument(db, documentOf(i, '杭教免')))));
    report('documents: 50 recorded at once for one issuing body', `${Math.round(concurrentMs)} ms in all`);
    const [, retryMs] = await timed(async () => {
      for (let i = 0; i < D; i++) await recordDocument(db, documentOf(i, '滨纪免'));
    });
    report('documents: a retried recording (answers the stored one)', each(D, retryMs));

    const M = 2_000;
    const deps = { db, channels: [], maxAttempts: 6, authorityOf: async () => 'binhai-jw' };
    const notice = (i: number) => ({
      caseId: `bench-case-${i % 100}`,
      idempotencyKey: `bench:notice:${i}`,
      recipient: { kind: 'party' as const, party: 'subject' as const },
      subject: '容错免责结论：免责',
      body: '认定结论为“免责”',
    });
    const attempt = { number: 1, heartbeat: () => undefined };
    const [, noticeMs] = await timed(async () => {
      for (let i = 0; i < M; i++) await deliverNotice(deps, notice(i), attempt);
    });
    report('notices: delivered to an inbox', perSecond(M, noticeMs));
    const [, repeatMs] = await timed(async () => {
      for (let i = 0; i < M; i++) await deliverNotice(deps, notice(i), attempt);
    });
    report('notices: a repeated delivery (sends nothing)', perSecond(M, repeatMs));

    await caseFileFigures(db);
  } finally {
    await db.close();
  }

  const dir = path.join(ROOT, 'test', 'replay', 'histories');
  const histories = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ workflowId: path.basename(f, '.json'), history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) }));
  const events = histories.reduce((n, h) => n + (h.history.events?.length ?? 0), 0);
  const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  // The bundle as workers build it (the failure converter, the sealed-inputs interceptor), and the key the recorded
  // fixtures were sealed with (the tests' own, test/support/keys.ts); fixtures recorded before encryption are read unsealed.
  const [bundle, bundleMs] = await timed(() => bundleCaseWorkflows(silent));
  const fixtureKeys = payloadKeyring(parsePayloadKeys('test-2026a:dGVzdC1wYXlsb2FkLWtleS0yMDI2YS0zMi1ieXRlcyE='));
  // As test/support/histories.ts tells them: a fixture recorded since encryption replays with the live converter, under
  // the id of the workflow its payloads were sealed for; one recorded before, with the converter that lets unsealed ones through.
  const groups = [
    { dataConverter: caseDataConverter(fixtureKeys), histories: [] as typeof histories },
    { dataConverter: caseDataConverter(fixtureKeys, { acceptUnsealed: true }), histories: [] as typeof histories },
  ];
  for (const fixture of histories) {
    const started = fixture.history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const input = started?.input?.payloads?.[0];
    const sealed = Buffer.from(input?.metadata?.encoding ?? []).toString() === ENCODING_ENCRYPTED;
    if (sealed) groups[0]!.histories.push({ ...fixture, workflowId: started?.workflowId || (input && boundWorkflowOf(input)) || fixture.workflowId });
    else groups[1]!.histories.push(fixture);
  }
  report('workflow bundle: built once per worker start', `${Math.round(bundleMs)} ms, ${Math.round(bundle.code.length / 1024)} KiB`);
  const rounds = 3;
  const [, replayMs] = await timed(async () => {
    for (let r = 0; r < rounds; r++) {
      for (const group of groups) {
        for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, dataConverter: group.dataConverter }, group.histories)) {
          if (result.error) throw new Error(`${result.workflowId} does not replay: ${String(result.error)}`);
        }
      }
    }
  });
  report(`replay: ${histories.length} recorded cases (${events} events) × ${rounds}`, `${each(histories.length * rounds, replayMs)}, ${perSecond(events * rounds, replayMs)} events`);

  const memory = process.memoryUsage();
  report('memory at the end: heap used / resident', `${Math.round(memory.heapUsed / 2 ** 20)} MiB / ${Math.round(memory.rss / 2 ** 20)} MiB`);
}

main().catch((err: Error) => {
  process.stderr.write(`bench: ${err.message}\n`);
  process.exit(1);
});
