/**
 * A party's own filings (application, statement, appeal) and their receipts
 * (回执). A filing is kept the moment it reaches the system: that instant,
 * and its day in Beijing time, is its receipt, whatever happens next. Once the
 * case has taken it, it gets a number, gap-free per authority and year, and
 * the receipt lands in the party's inbox in the same transaction; a filing the
 * case refused (out of time, with its article) keeps its refusal and no number.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db';
import { deliverToInbox } from './notifications';

export type FilingKind = 'application' | 'statement' | 'appeal';
export const FILING_NAMES: Record<FilingKind, string> = { application: '容错免责申请', statement: '书面陈述意见', appeal: '书面申诉' };

export interface Receipt {
  id: string;
  number: string | null;
  status: 'pending' | 'issued' | 'refused';
  caseId: string;
  party: string;
  kind: FilingKind;
  filedBy: string;
  receivedOn: string;
  receivedAt: string;
  issuedAt: string | null;
  updateId: string;
  summarySha256: string;
  refusal: { code: string; detail: string; article?: string } | null;
}

type Row = {
  id: string;
  number: string | null;
  status: Receipt['status'];
  case_id: string;
  party: string;
  kind: FilingKind;
  filed_by: string;
  received_on: string;
  received_at: Date | string;
  issued_at: Date | string | null;
  update_id: string;
  summary_sha256: string;
  refusal: Receipt['refusal'];
};
const COLUMNS = `id, number, status, case_id, party, kind, filed_by, to_char(received_on, 'YYYY-MM-DD') as received_on, received_at, issued_at, update_id, summary_sha256, refusal`;
const fromRow = (r: Row): Receipt => ({
  id: r.id,
  number: r.number,
  status: r.status,
  caseId: r.case_id,
  party: r.party,
  kind: r.kind,
  filedBy: r.filed_by,
  receivedOn: String(r.received_on),
  receivedAt: new Date(r.received_at).toISOString(),
  issuedAt: r.issued_at ? new Date(r.issued_at).toISOString() : null,
  updateId: r.update_id,
  summarySha256: r.summary_sha256,
  refusal: r.refusal ?? null,
});

export const summaryDigest = (summary: string) => createHash('sha256').update(summary, 'utf8').digest('hex');

/**
 * Keeps the filing as it arrives, once per step (a retry under the same Idempotency-Key reaches
 * the same update, and finds the first arrival: its day of receipt is the first's).
 */
export async function receiveFiling(
  db: Queryable,
  f: { authority: string; caseId: string; party: string; kind: FilingKind; filedBy: string; receivedOn: string; receivedAt: string; updateId: string; summary: string },
): Promise<Receipt> {
  await db.query(
    `insert into filing_receipts (authority, case_id, party, kind, filed_by, received_on, received_at, update_id, summary_sha256)
     values ($1, $2, $3, $4, $5, $6::date, $7, $8, $9) on conflict (update_id) do nothing`,
    [f.authority, f.caseId, f.party, f.kind, f.filedBy, f.receivedOn, f.receivedAt, f.updateId, summaryDigest(f.summary)],
  );
  return (await findReceipt(db, f.updateId))!;
}

export async function findReceipt(db: Queryable, updateId: string): Promise<Receipt | undefined> {
  const rows = await db.query<Row>(`select ${COLUMNS} from filing_receipts where update_id = $1`, [updateId]);
  return rows[0] && fromRow(rows[0]);
}

/** A case's receipts filed by this account, newest first. */
export async function receiptsOf(db: Queryable, caseId: string, filedBy: string): Promise<Receipt[]> {
  const rows = await db.query<Row>(`select ${COLUMNS} from filing_receipts where case_id = $1 and filed_by = $2 order by received_at desc`, [caseId, filedBy]);
  return rows.map(fromRow);
}

/**
 * The case took the filing: the receipt gets its number and lands in the party's inbox, in one
 * transaction; a second call answers the receipt already issued.
 */
export async function issueReceipt(db: Db, updateId: string, how: { numberPrefix: string; inboxKey: string }): Promise<Receipt> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<Row & { authority: string }>(`select ${COLUMNS}, authority from filing_receipts where update_id = $1 for update`, [updateId]);
    if (!row) throw new Error(`no filing of update ${updateId}`);
    if (row.status === 'issued') return fromRow(row);
    const year = Number(String(row.received_on).slice(0, 4));
    const [counter] = await tx.query<{ last_number: number }>(
      `insert into receipt_numbers (authority, year, last_number) values ($1, $2, 1)
       on conflict (authority, year) do update set last_number = receipt_numbers.last_number + 1 returning last_number`,
      [row.authority, year],
    );
    const number = `${how.numberPrefix}〔${year}〕${counter!.last_number}号`;
    const [issued] = await tx.query<Row>(
      `update filing_receipts set number = $2, status = 'issued', issued_at = now() where update_id = $1 returning ${COLUMNS}`,
      [updateId, number],
    );
    const receipt = fromRow(issued!);
    const receivedAt = new Date(receipt.receivedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
    await deliverToInbox(tx, {
      caseId: receipt.caseId,
      idempotencyKey: `${receipt.caseId}:receipt:${receipt.id}`,
      recipient: { kind: 'party', party: receipt.party },
      recipientKey: how.inboxKey,
      subject: `【回执】${number} ${FILING_NAMES[receipt.kind]}已收到`,
      body: `您的${FILING_NAMES[receipt.kind]}已于 ${receivedAt}（北京时间）送达本系统，收到日期为 ${receipt.receivedOn}，已登记入案件 ${receipt.caseId}。回执编号：${number}；内容摘要 SHA-256：${receipt.summarySha256}。`,
    });
    return receipt;
  });
}

/** The case refused the filing: kept, with the refusal and its article, and no number. */
export async function refuseFiling(db: Queryable, updateId: string, refusal: NonNullable<Receipt['refusal']>): Promise<Receipt | undefined> {
  const rows = await db.query<Row>(`update filing_receipts set status = 'refused', refusal = $2 where update_id = $1 and status = 'pending' returning ${COLUMNS}`, [
    updateId,
    JSON.stringify(refusal),
  ]);
  return rows[0] ? fromRow(rows[0]) : findReceipt(db, updateId);
}
