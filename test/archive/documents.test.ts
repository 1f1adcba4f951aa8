/**
 * Decision documents in the archive database: each kind renders as a .docx
 * under the next number of its prefix and year, a retried recording returns
 * the document already recorded (same number, same bytes), concurrent
 * recordings never share or skip a number, and a file that no longer matches
 * its hash is caught. Runs on PGlite, or on PostgreSQL with DATABASE_URL.
 */
import { strFromU8, unzipSync } from 'fflate';
import { documentActivities } from '../../activities/documents';
import { beijingDate } from '../../domain/calendar';
import type { IssueDocumentRequest } from '../../domain/case/contract';
import { binhai2021 } from '../../domain/rulebooks/binhai';
import type { DocumentSpec } from '../../domain/rulebooks/schema';
import type { Db } from '../../store/db';
import { documentFile } from '../../store/documents';
import { openTestDb } from '../support/test-db';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

const docxText = (bytes: Buffer) =>
  [...strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml']!).matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

const year = Number(beijingDate(Date.now()).slice(0, 4));
const spec = (kind: DocumentSpec['kind'], title: string): DocumentSpec => ({ kind, title, basis: { article: '第十五条', quote: '书面告知' } });
const request = (key: string, document: DocumentSpec, prefix = '滨纪免'): IssueDocumentRequest => ({
  caseId: 'case-binhai-2026-0001',
  idempotencyKey: key,
  spec: document,
  prefix,
  issuingBody: binhai2021.issuingBody,
  recipients: ['被调查对象', '所在党组织'],
  copyTo: ['同级纪检监察组织', '组织人事部门'],
  body: '王某（某街道党工委）：\n经集体研究，认定：免责。\n如对本结论有不同意见，可自接到告知之日起15日内提出书面申诉（第十七条）。',
  issuedBy: { sub: 'sup-1', name: '张主任' },
});

describe('issuing decision documents', () => {
  const activities = () => documentActivities(db);

  it.each([
    ['conclusionNotice', '容错免责结论告知书'],
    ['exemptionDecision', '免责决定书'],
    ['determinationNotice', '容错免责认定书'],
    ['appealDecision', '申诉处理决定书'],
    ['feedbackLetter', '容错免责认定结果反馈函'],
    ['acceptanceNotice', '容错申请受理决定告知书'],
    ['correctionList', '纠错建议清单'],
  ] as const)('renders a %s as a numbered .docx with its text', async (kind, title) => {
    const issued = await activities().issueDocument(request(`kind:${kind}`, spec(kind, title), `测${kind.slice(0, 3)}`));
    expect(issued.number).toBe(`测${kind.slice(0, 3)}〔${year}〕1号`);
    const file = (await documentFile(db, issued.documentId))!;
    expect(file.intact).toBe(true);
    expect(file.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const text = docxText(file.bytes);
    for (const part of [title, issued.number, '被调查对象、所在党组织：', '经集体研究，认定：免责。', '15日内提出书面申诉', '抄送：同级纪检监察组织，组织人事部门。']) {
      expect(text).toContain(part);
    }
  });

  it('gives a retried recording the same number and the same bytes, and records it once', async () => {
    const first = await activities().issueDocument(request('retry:1', spec('exemptionDecision', '免责决定书')));
    const bytes = (await documentFile(db, first.documentId))!.bytes;
    const again = await activities().issueDocument(request('retry:1', spec('exemptionDecision', '免责决定书')));
    expect(again).toEqual(first);
    expect((await documentFile(db, again.documentId))!.bytes.equals(bytes)).toBe(true);
    const rows = await db.query<{ n: number }>('select count(*)::int as n from documents where idempotency_key = $1', ['retry:1']);
    expect(rows[0]?.n).toBe(1);
  });

  it('gives fifty concurrent recordings for one issuing body fifty distinct numbers with no gap', async () => {
    const issued = await Promise.all(
      Array.from({ length: 50 }, (_, i) => activities().issueDocument(request(`concurrent:${i}`, spec('conclusionNotice', '容错免责结论告知书'), '并发'))),
    );
    const numbers = issued.map((d) => Number(/〕(\d+)号$/.exec(d.number)?.[1])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('gives concurrent retries of one recording one document and one number', async () => {
    const issued = await Promise.all(Array.from({ length: 5 }, () => activities().issueDocument(request('racing:1', spec('appealDecision', '申诉处理决定书'), '竞争'))));
    expect(new Set(issued.map((d) => d.number))).toEqual(new Set([`竞争〔${year}〕1号`]));
    const next = await activities().issueDocument(request('racing:2', spec('appealDecision', '申诉处理决定书'), '竞争'));
    expect(next.number).toBe(`竞争〔${year}〕2号`);
  });

  it('reports an archived file that no longer matches its hash', async () => {
    const issued = await activities().issueDocument(request('tamper:1', spec('exemptionDecision', '免责决定书'), '篡改'));
    await db.query(`update documents set file = $1 where id = $2`, [Buffer.from('not the document'), issued.documentId]);
    expect((await documentFile(db, issued.documentId))!.intact).toBe(false);
  });
});
