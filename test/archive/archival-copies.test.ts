/**
 * The archival copy: every document kind rendered to PDF/A by LibreOffice
 * (all kinds in one run of the renderer), read back with pdftotext as an
 * archivist would read the printed page: the 文号, the 成文日期 in Arabic
 * numerals, the body an appeal goes to by its name, 28 characters a line.
 * A renderer that is missing leaves the .docx recorded and the copy owed;
 * the sweep renders it once the renderer is there.
 */
import { execFileSync } from 'node:child_process';
import { MockActivityEnvironment } from '@temporalio/testing';
import { documentActivities, sweepArchivalCopies } from '../../activities/documents';
import { DEFAULT_AUTHORITIES, loadAuthorities } from '../../config/authorities';
import { beijingDate } from '../../domain/calendar';
import type { IssuedDocument } from '../../domain/case/contract';
import { libreOfficeRenderer, RendererUnavailable } from '../../services/documents/render-pdf';
import type { Db } from '../../store/db';
import { archivalFile, documentFile, documentsWithoutArchivalCopy } from '../../store/documents';
import { openTestDb } from '../support/test-db';
import { KINDS, requestFor, type Kind } from './document-kinds';

let db: Db;
const issued = new Map<Kind, IssuedDocument>();
const texts = new Map<Kind, string>();
const today = beijingDate(Date.now());
const written = `${Number(today.slice(0, 4))}年${Number(today.slice(5, 7))}月${Number(today.slice(8, 10))}日`;
const quietLogger = { info: () => undefined, warn: () => undefined };

beforeAll(async () => {
  db = await openTestDb();
  const authorities = loadAuthorities();
  const activities = documentActivities(db, { authorities, renderer: libreOfficeRenderer() });
  for (const kind of KINDS) issued.set(kind, await activities.issueDocument(requestFor(kind, 'archival')));
}, 60_000);
afterAll(() => db?.close());

describe('without the renderer', () => {
  it('keeps the .docx recorded, fails the rendering so it is retried, and owes the copy', async () => {
    const missing = documentActivities(db, { authorities: loadAuthorities(), renderer: libreOfficeRenderer({ command: '/nonexistent/soffice' }) });
    const ids = [...issued.values()].map((d) => d.documentId);
    // Run as Temporal runs it, with an activity context: the attempt tells Temporal it is alive before the renderer starts.
    const attempt = new MockActivityEnvironment();
    let heartbeats = 0;
    attempt.on('heartbeat', () => (heartbeats += 1));
    await expect(attempt.run(missing.renderArchivalCopies, { caseId: 'case-test-2026-archival', documentIds: ids })).rejects.toBeInstanceOf(RendererUnavailable);
    expect(heartbeats).toBeGreaterThanOrEqual(1);
    for (const id of ids) expect((await documentFile(db, id))?.intact).toBe(true);
    expect(await documentsWithoutArchivalCopy(db)).toEqual(expect.arrayContaining(ids));
  });
});

describe('once the renderer is there', () => {
  beforeAll(async () => {
    // One LibreOffice run for all seven kinds: the sweep takes them together.
    expect(await sweepArchivalCopies(db, libreOfficeRenderer(), quietLogger)).toBe(KINDS.length);
    for (const [kind, document] of issued) {
      const file = (await archivalFile(db, document.documentId))!;
      texts.set(kind, execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: file.bytes }).toString());
    }
  }, 120_000);

  it('owes no copy any more', async () => {
    expect(await documentsWithoutArchivalCopy(db)).toEqual([]);
  });

  describe.each(KINDS)('a %s', (kind) => {
    it('is stored as PDF/A-2b beside its .docx, with its own SHA-256', async () => {
      const document = issued.get(kind)!;
      const pdf = (await archivalFile(db, document.documentId))!;
      expect(pdf.intact).toBe(true);
      expect(pdf.mediaType).toBe('application/pdf');
      expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.bytes.toString('latin1')).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
      expect(pdf.sha256).not.toBe((await documentFile(db, document.documentId))!.sha256);
    });

    it('prints its 文号, title and 成文日期 in Arabic numerals, and names no body by its id', () => {
      const text = texts.get(kind)!;
      const flat = text.replace(/\s+/g, '');
      expect(flat).toContain(issued.get(kind)!.number);
      expect(flat).toContain(issued.get(kind)!.title);
      expect(flat).toContain(written);
      expect(flat).toContain(`${written}印发`);
      expect(flat).not.toMatch(/[〇一二三四五六七八九十]{2,}年/);
      for (const { id } of DEFAULT_AUTHORITIES.authorities) expect(text).not.toContain(id);
    });

    it('sets at most 28 characters a line, and fills a line of the body with 28', () => {
      const width = (line: string) => [...line.replace(/\s+/g, '')].reduce((n, c) => n + (c.charCodeAt(0) < 0x2000 ? 0.5 : 1), 0);
      const widths = texts.get(kind)!.split('\n').map(width);
      // A closing punctuation mark may hang past the line's end (标点悬挂).
      expect(Math.max(...widths)).toBeLessThanOrEqual(29);
      expect(widths.some((w) => w >= 27.5)).toBe(true);
    });
  });

  it('tells where to appeal by the body’s name in the notice and the decision', () => {
    for (const kind of ['conclusionNotice', 'exemptionDecision'] as const) {
      expect(texts.get(kind)!.replace(/\s+/g, '')).toContain('15日内，向中共天津市滨海新区纪律检查委员会提出书面申诉');
    }
  });
});
