/**
 * The bound case file, made from real documents (issued and rendered by
 * LibreOffice) and materials of every type: one PDF, checked as PDF/A-2b by
 * veraPDF; its 卷内文件目录 lists each item with the page it begins on, and
 * that page of the file carries that number at its top right and shows that
 * item; the cover and the 备考表 say what they must; withdrawn materials are
 * kept out and named; the file is sealed at rest and its digests recorded.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bindCase, caseFileTitle } from '../../activities/case-file';
import { documentActivities, renderArchivalCopies } from '../../activities/documents';
import { loadAuthorities } from '../../config/authorities';
import { beijingDate } from '../../domain/calendar';
import type { CaseState } from '../../domain/case/contract';
import { openingState } from '../../domain/case/opening';
import { veraPdfLib } from '../../services/casefile/pdfa-check';
import { libreOfficeRenderer } from '../../services/documents/render-pdf';
import { boundFilePdf, findBoundFile } from '../../store/bound-files';
import type { Db } from '../../store/db';
import { recordMaterial, withdrawMaterial, type MaterialRecord } from '../../store/materials';
import { binhaiCase } from '../support/cases';
import { testPayloadKeys } from '../support/keys';
import { docxOf, ofdOf, pdfOf, scanOf } from '../support/material-files';
import { openTestDb } from '../support/test-db';
import { requestFor } from './document-kinds';

let db: Db;
let state: CaseState;
const renderer = libreOfficeRenderer();
const authorities = loadAuthorities();
const today = beijingDate(Date.now());
const officer = { sub: 'bh-officer', name: '周办案' };
const materials: MaterialRecord[] = [];
let pdf: Buffer;

const text = (file: Buffer, page?: number) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-text-'));
  try {
    fs.writeFileSync(path.join(dir, 'f.pdf'), file);
    return execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-layout', path.join(dir, 'f.pdf'), '-'], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
const pageCount = (file: Buffer) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-info-'));
  try {
    fs.writeFileSync(path.join(dir, 'f.pdf'), file);
    return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path.join(dir, 'f.pdf')]).toString())![1]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

beforeAll(async () => {
  db = await openTestDb();
  const input = binhaiCase(today);
  state = { ...openingState(input), stage: 'closed', closed: true, outcome: 'exempt', archive: { archivedOn: today, reference: 'BH-2026-WS-0012', archivedBy: officer, classification: '秘密' } };
  const add = async (kind: string, title: string, bytes: Buffer, format: MaterialRecord['format'], mediaType: string, extra: Partial<Parameters<typeof recordMaterial>[2]> = {}) => {
    const m = await recordMaterial(db, testPayloadKeys, { caseId: state.caseId, authority: state.authority, kind, title, format, mediaType, bytes, uploadedBy: officer, ...extra }, 500 * 1024 * 1024);
    materials.push(m);
    return m;
  };
  // In the order of the procedure by the dates of their originals: the application, two pieces of evidence, the report, the minutes.
  await add('application', '容错免责申请', await scanOf('jpeg', 'Application'), 'jpeg', 'image/jpeg', { originalDate: '2026-01-05', source: '王某' });
  await add('evidence', '施工合同复印件', await pdfOf(3, 'Contract'), 'pdf', 'application/pdf', { originalDate: '2026-01-10', source: '某街道办事处', obtainedBy: '调查组调取原件复印，经核对一致' });
  await add('evidence', '现场照片', await scanOf('tiff', 'Photo'), 'tiff', 'image/tiff', { originalDate: '2026-01-11', source: '某社区居委会', obtainedBy: '调查组现场拍摄' });
  await add('investigationReport', '调查报告', await docxOf(['关于王某容错免责申请的调查报告', '经调查……']), 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', { originalDate: '2026-01-20' });
  await add('minutes', '领导班子会议纪要', await scanOf('png', 'Minutes'), 'png', 'image/png', { originalDate: '2026-01-25' });
  await add('proofOfService', '送达回证', ofdOf(await scanOf('jpeg', 'Receipt')), 'ofd', 'application/ofd', { originalDate: '2026-01-28' });
  const wrong = await add('other', '误传的文件', await pdfOf(1, 'Wrong'), 'pdf', 'application/pdf', { originalDate: '2026-01-06' });
  await withdrawMaterial(db, wrong.materialId, officer, '与本案无关');
  // And the case's documents, issued and rendered as the workflow does.
  const docs = documentActivities(db, { authorities, renderer });
  const issued = await docs.issueDocument({ ...requestFor('exemptionDecision', 'bound'), caseId: state.caseId });
  await renderArchivalCopies(db, renderer, [issued.documentId]);
  const record = await bindCase(db, { keyring: testPayloadKeys, renderer, authorities }, state);
  pdf = (await boundFilePdf(db, testPayloadKeys, state.caseId))!.bytes;
  if (process.env.KEEP_BOUND_FILE) fs.writeFileSync(process.env.KEEP_BOUND_FILE, pdf);
  expect(record.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
}, 300_000);
afterAll(() => db?.close());

it('lists every item in the 卷内文件目录 in the order of the procedure, with the page each begins on, and that page carries that number and shows the item', async () => {
  const record = (await findBoundFile(db, state.caseId))!;
  const items = record.contents.items;
  expect(items.map((i) => i.title)).toEqual(['容错免责申请', '施工合同复印件', '现场照片', '调查报告', '领导班子会议纪要', '送达回证', '《免责决定书》']);
  expect(items.map((i) => i.rendering)).toEqual(['image', 'rasterised', 'image', 'libreoffice', 'image', 'ofdImages', 'asIs']);
  // Numbered through: each begins where the one before ended.
  expect(items[0]!.firstPage).toBe(1);
  for (let i = 1; i < items.length; i += 1) expect(items[i]!.firstPage).toBe(items[i - 1]!.lastPage + 1);
  expect(items[1]!.lastPage - items[1]!.firstPage + 1).toBe(3);
  expect(record.contents.numberedPages).toBe(items.at(-1)!.lastPage);

  const total = pageCount(pdf);
  expect(total).toBe(record.pages);
  // The cover and the 目录 come first (unnumbered), the 备考表 last.
  const cover = text(pdf, 1);
  for (const part of ['案卷题名', caseFileTitle(state).slice(0, 10), '立卷单位', '中共天津市滨海新区纪律检查委员会', '起止日期', '20260105', '保管期限', '永久', '密级', '秘密', 'BH-2026-WS-0012']) expect(cover).toContain(part);
  const frontPages = total - record.contents.numberedPages - 1;
  const contents = Array.from({ length: frontPages - 1 }, (_, i) => text(pdf, i + 2)).join('\n');
  expect(contents).toContain('卷内文件目录');
  for (const h of ['序号', '文号', '责任者', '题名', '日期', '页号']) expect(contents).toContain(h);
  for (const [i, item] of items.entries()) {
    const row = contents.split('\n').find((line) => line.includes(item.title.replace(/[《》]/g, '').slice(0, 4)));
    expect([item.title, row]).toEqual([item.title, expect.stringMatching(new RegExp(`\\b${item.sequence}\\b.*${item.date.replace(/-/g, '')}.*\\b${i === items.length - 1 && item.lastPage !== item.firstPage ? `${item.firstPage}-${item.lastPage}` : item.firstPage}\\b`))]);
    // The page the 目录 names carries that number at its top right.
    const page = text(pdf, frontPages + item.firstPage);
    expect(page.split('\n').find((l) => l.trim() !== '')?.trim()).toMatch(new RegExp(`${item.firstPage}$`));
  }
  // The document's own page shows the document.
  expect(text(pdf, frontPages + items.at(-1)!.firstPage)).toContain('免责决定书');
  expect(text(pdf, frontPages + items[3]!.firstPage)).toContain('调查报告');
  const remarks = text(pdf, total);
  for (const part of ['卷内备考表', `共有文件 ${items.length} 件`, `共 ${record.contents.numberedPages} 页`, '误传的文件', '与本案无关', '立卷人：周办案', '检查人']) expect(remarks).toContain(part);
  expect(record.contents.withdrawn.map((w) => w.title)).toEqual(['误传的文件']);
}, 120_000);

it('passes the PDF/A-2b check of veraPDF', async () => {
  expect(veraPdfLib()).toBeDefined();
  const record = (await findBoundFile(db, state.caseId))!;
  expect(record.validation).toMatchObject({ validator: 'veraPDF 1.28.2', profile: 'PDF/A-2B', compliant: true, failures: [] });
});

it('is sealed at rest, and binding again changes nothing', async () => {
  const [row] = await db.query<{ file: Uint8Array }>('select file from bound_files where case_id = $1', [state.caseId]);
  expect(Buffer.from(row!.file).subarray(0, 5).toString()).not.toBe('%PDF-');
  const first = await findBoundFile(db, state.caseId);
  const again = await bindCase(db, { keyring: testPayloadKeys, renderer, authorities }, state);
  expect(again).toEqual(first);
});
