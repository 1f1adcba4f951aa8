/**
 * Decision documents in the archive database: each kind renders as a .docx
 * under the next number of its prefix and year, a retried recording returns
 * the document already recorded (same number, same bytes), concurrent
 * recordings never share or skip a number, and a file that no longer matches
 * its hash is caught. Runs on PGlite, or on PostgreSQL with DATABASE_URL.
 */
import { createHash } from 'node:crypto';
import { documentActivities } from '../../activities/documents';
import { DEFAULT_AUTHORITIES, parseAuthorities } from '../../config/authorities';
import { beijingDate } from '../../domain/calendar';
import type { IssueDocumentRequest } from '../../domain/case/contract';
import type { DocumentSpec } from '../../domain/rulebooks/schema';
import { libreOfficeRenderer } from '../../services/documents/render-pdf';
import type { Db } from '../../store/db';
import { documentFile, findDocument } from '../../store/documents';
import { docxText } from '../support/docx';
import { openTestDb } from '../support/test-db';
import { requestFor, type Kind } from './document-kinds';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

const year = Number(beijingDate(Date.now()).slice(0, 4));
const spec = (kind: DocumentSpec['kind'], title: string): DocumentSpec => ({ kind, title, basis: { article: '第十五条', quote: '书面告知' } });
/** Test authorities, each with its own prefixes, so each test's numbers start at 1. */
const series = (p: string) => ({ decision: `${p}决`, notice: `${p}告`, letter: `${p}函`, appeal: `${p}申`, correction: `${p}纠` });
const base = DEFAULT_AUTHORITIES.authorities[0]!;
const authorities = parseAuthorities({
  authorities: ['测', '并发', '竞争', '篡改', '重试'].map((p, i) => ({ ...base, id: `test-${i}`, series: series(p) })),
});
const request = (key: string, document: DocumentSpec, issuer = 'test-0'): IssueDocumentRequest => ({ ...requestFor(document.kind as Kind, key, issuer), idempotencyKey: key, spec: document });

describe('issuing decision documents', () => {
  const activities = () => documentActivities(db, { authorities, renderer: libreOfficeRenderer() });

  it.each([
    ['conclusionNotice', '容错免责结论告知书', '测告'],
    ['exemptionDecision', '免责决定书', '测决'],
    ['determinationNotice', '容错免责认定书', '测决'],
    ['appealDecision', '申诉处理决定书', '测申'],
    ['feedbackLetter', '容错免责认定结果反馈函', '测函'],
    ['acceptanceNotice', '容错申请受理决定告知书', '测告'],
    ['correctionList', '纠错建议清单', '测纠'],
  ] as const)('renders a %s as a .docx numbered in its series', async (kind, title, prefix) => {
    const issued = await activities().issueDocument(request(`kind:${kind}`, spec(kind, title)));
    expect(issued.number).toMatch(new RegExp(`^${prefix}〔${year}〕\\d+号$`));
    const file = (await documentFile(db, issued.documentId))!;
    expect(file.intact).toBe(true);
    expect(file.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const text = docxText(file.bytes);
    for (const part of [title, issued.number, `${issued.recipients.join('、')}：`, '中共天津市滨海新区纪律检查委员会']) {
      expect(text).toContain(part);
    }
  });

  it('gives a retried recording the same number and the same bytes, and records it once', async () => {
    const first = await activities().issueDocument(request('retry:1', spec('exemptionDecision', '免责决定书'), 'test-4'));
    const bytes = (await documentFile(db, first.documentId))!.bytes;
    const again = await activities().issueDocument(request('retry:1', spec('exemptionDecision', '免责决定书'), 'test-4'));
    expect(again).toEqual(first);
    expect((await documentFile(db, again.documentId))!.bytes.equals(bytes)).toBe(true);
    const rows = await db.query<{ n: number }>('select count(*)::int as n from documents where idempotency_key = $1', ['retry:1']);
    expect(rows[0]?.n).toBe(1);
  });

  it('gives fifty concurrent recordings for one issuing body fifty distinct numbers with no gap', async () => {
    const issued = await Promise.all(
      Array.from({ length: 50 }, (_, i) => activities().issueDocument(request(`concurrent:${i}`, spec('conclusionNotice', '容错免责结论告知书'), 'test-1'))),
    );
    const numbers = issued.map((d) => Number(/〕(\d+)号$/.exec(d.number)?.[1])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('gives concurrent retries of one recording one document and one number', async () => {
    const issued = await Promise.all(Array.from({ length: 5 }, () => activities().issueDocument(request('racing:1', spec('appealDecision', '申诉处理决定书'), 'test-2'))));
    expect(new Set(issued.map((d) => d.number))).toEqual(new Set([`竞争申〔${year}〕1号`]));
    const next = await activities().issueDocument(request('racing:2', spec('appealDecision', '申诉处理决定书'), 'test-2'));
    expect(next.number).toBe(`竞争申〔${year}〕2号`);
  });

  it('reports an archived file that no longer matches its hash', async () => {
    const issued = await activities().issueDocument(request('tamper:1', spec('exemptionDecision', '免责决定书'), 'test-3'));
    await db.query(`update documents set file = $1 where id = $2`, [Buffer.from('not the document'), issued.documentId]);
    expect((await documentFile(db, issued.documentId))!.intact).toBe(false);
  });

  it('records the SM3 of the file beside its SHA-256, and checks both on every read', async () => {
    const issued = await activities().issueDocument(request('sm3:1', spec('exemptionDecision', '免责决定书'), 'test-3'));
    const file = (await documentFile(db, issued.documentId))!;
    expect([file.sha256, file.sm3]).toEqual([createHash('sha256').update(file.bytes).digest('hex'), createHash('sm3').update(file.bytes).digest('hex')]);
    expect((await findDocument(db, issued.documentId))!.sm3).toBe(file.sm3);
    // A file replaced with its SHA-256 rewritten to match still fails on its SM3, and the other way round.
    const forged = Buffer.from('not the document either');
    await db.query(`update documents set file = $1, sha256 = $2 where id = $3`, [forged, createHash('sha256').update(forged).digest('hex'), issued.documentId]);
    expect((await documentFile(db, issued.documentId))!.intact).toBe(false);
    await db.query(`update documents set sha256 = $1, sm3 = $2 where id = $3`, [file.sha256, createHash('sm3').update(forged).digest('hex'), issued.documentId]);
    expect((await documentFile(db, issued.documentId))!.intact).toBe(false);
    // A document issued before SM3 was recorded is checked by its SHA-256 alone.
    await db.query(`update documents set file = $1, sha256 = $2, sm3 = null where id = $3`, [file.bytes, file.sha256, issued.documentId]);
    expect(await documentFile(db, issued.documentId)).toMatchObject({ intact: true, sm3: null });
  });
});
