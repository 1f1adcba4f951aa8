/**
 * The access log: who read what of a case, when, from where, and what they
 * were answered (api/access-log.ts writes it; migration 31 made the table).
 *
 * Append-only: a trigger refuses every update, every delete of a record
 * younger than 180 days and every truncate, to every role; on PostgreSQL the
 * API's role (rongcuo_app) holds no UPDATE, DELETE or TRUNCATE on it either.
 * Records older than the retention are removed only by `prune_access_log`,
 * oldest first, which moves the anchor the chain starts from.
 *
 * Tamper-evident: each record's `hash` is the SHA-256 of the `prev_hash`
 * (the hash of the record before it, or the anchor's) and of its own content,
 * so an edited record no longer matches its hash, and a removed or reordered
 * one breaks the link of the next; `verifyAccessLog` names the first broken
 * link. A prev_hash is unique: two writers appending from the same head
 * cannot both succeed, the later one moves to the new head and tries again.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db';

/** Where a chain begins that has never been pruned. */
export const GENESIS_HASH = '0'.repeat(64);

/** The events a route declares (api/registry.ts `audit`), after HMCTS's operation types. */
export const ACCESS_EVENTS = [
  'CASE_ACCESSED',
  'CASE_LIST_VIEWED',
  'DOCUMENTS_LISTED',
  'DOCUMENT_ACCESSED',
  'NOTES_ACCESSED',
  'PAYLOADS_DECODED',
  'ACCESS_LOG_VIEWED',
  'ACCESS_LOG_PRUNED',
  'LEDGER_VIEWED',
  'LEDGER_EXPORTED',
  'STATISTICS_VIEWED',
  'CONCLUSION_EFFECTS_VIEWED',
] as const;
export type AccessEvent = (typeof ACCESS_EVENTS)[number];

export interface AccessRecord {
  /** When, to the millisecond (ISO 8601, UTC). */
  at: string;
  /** Who: null only for the codec decoding without a token (CODEC_AUTH=none) and the retention job. */
  sub: string | null;
  name: string | null;
  roles: string[];
  authority: string | null;
  /** What: the event, the operation (the route's operationId), the case and the document. */
  event: AccessEvent;
  operation: string;
  caseId: string | null;
  documentId: string | null;
  /** From where: the client address (as TRUST_PROXY decides it) and its user agent. */
  address: string | null;
  userAgent: string | null;
  /** The answer's HTTP status. */
  status: number;
  /** What else says what was read: where the state came from (a dossier), a filter, a count. Small. */
  detail: Record<string, string | number | boolean | null> | null;
}

export interface StoredAccessRecord extends AccessRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

/** Keys sorted, so the hash does not depend on how jsonb orders an object. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** SHA-256 over the previous record's hash and every field of this one. */
export function recordHash(prevHash: string, r: AccessRecord): string {
  const content = canonical([r.at, r.sub, r.name, r.roles, r.authority, r.event, r.operation, r.caseId, r.documentId, r.address, r.userAgent, r.status, r.detail]);
  return createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

/** The chain moved on under this writer (another process appended first): read the head again and retry. */
export class ChainMoved extends Error {
  override name = 'ChainMoved';
}

/** The hash the next record links to: the last record's, else the anchor's (all pruned), else the genesis. */
export async function chainHead(db: Queryable): Promise<string> {
  const rows = await db.query<{ hash: string }>(
    `select hash from (select hash, 1 as o from (select hash from access_log order by seq desc limit 1) l
       union all select hash, 2 from access_log_anchor) h order by o limit 1`,
  );
  return rows[0]?.hash ?? GENESIS_HASH;
}

/**
 * Appends the records after `head`, in order, in one statement (all or none), and answers the new
 * head. Throws ChainMoved when another writer appended after `head` first.
 */
export async function appendAccessRecords(db: Queryable, head: string, records: AccessRecord[]): Promise<string> {
  let prev = head;
  const rows = records.map((r, ord) => {
    const hash = recordHash(prev, r);
    const row = { ...r, prev_hash: prev, hash, ord };
    prev = hash;
    return row;
  });
  try {
    await db.query(
      `insert into access_log (at, sub, name, roles, authority, event, operation, case_id, document_id, address, user_agent, status, detail, prev_hash, hash)
       select x.at, x.sub, x.name, array(select jsonb_array_elements_text(x.roles)), x.authority, x.event, x.operation, x."caseId", x."documentId",
              x.address, x."userAgent", x.status, x.detail, x.prev_hash, x.hash
         from jsonb_to_recordset($1::jsonb) as x(at timestamptz, sub text, name text, roles jsonb, authority text, event text, operation text,
              "caseId" text, "documentId" text, address text, "userAgent" text, status integer, detail jsonb, prev_hash text, hash text, ord integer)
        order by x.ord`,
      [JSON.stringify(rows)],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new ChainMoved('the access log moved on under this writer');
    throw err;
  }
  return prev;
}

interface Row {
  seq: string | number;
  at: Date | string;
  sub: string | null;
  name: string | null;
  roles: string[];
  authority: string | null;
  event: AccessEvent;
  operation: string;
  case_id: string | null;
  document_id: string | null;
  address: string | null;
  user_agent: string | null;
  status: number;
  detail: AccessRecord['detail'];
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'seq, at, sub, name, roles, authority, event, operation, case_id, document_id, address, user_agent, status, detail, prev_hash, hash';

function fromRow(r: Row): StoredAccessRecord {
  return {
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    sub: r.sub,
    name: r.name,
    roles: r.roles ?? [],
    authority: r.authority,
    event: r.event,
    operation: r.operation,
    caseId: r.case_id,
    documentId: r.document_id,
    address: r.address,
    userAgent: r.user_agent,
    status: Number(r.status),
    detail: r.detail ?? null,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** A case's records, newest first, at most `limit`, before `beforeSeq` when paging on. */
export async function accessOfCase(db: Queryable, caseId: string, page: { limit: number; beforeSeq?: number | undefined }): Promise<StoredAccessRecord[]> {
  const rows = await db.query<Row>(
    `select ${COLUMNS} from access_log where case_id = $1 and ($2::bigint is null or seq < $2::bigint) order by seq desc limit $3`,
    [caseId, page.beforeSeq ?? null, page.limit],
  );
  return rows.map(fromRow);
}

export type Verification =
  | { intact: true; records: number; firstSeq: number | null; lastSeq: number | null; head: string; anchor: { throughSeq: number; hash: string } | null }
  | { intact: false; records: number; seq: number; at: string; reason: string };

/**
 * Walks the chain from its anchor in seq order, a page at a time, and answers the first record whose
 * content no longer matches its hash (edited) or whose link does not match the record before it (one
 * removed, inserted or reordered). The head it answers is worth keeping elsewhere (with the backups):
 * only against a copy can a removed tail be told.
 */
export async function verifyAccessLog(db: Queryable, pageSize = 5_000): Promise<Verification> {
  const [anchorRow] = await db.query<{ through_seq: string | number; hash: string }>('select through_seq, hash from access_log_anchor');
  const anchor = anchorRow ? { throughSeq: Number(anchorRow.through_seq), hash: anchorRow.hash } : null;
  let expected = anchor?.hash ?? GENESIS_HASH;
  let after = anchor?.throughSeq ?? 0;
  let records = 0;
  let firstSeq: number | null = null;
  for (;;) {
    const rows = (await db.query<Row>(`select ${COLUMNS} from access_log where seq > $1 order by seq limit $2`, [after, pageSize])).map(fromRow);
    for (const r of rows) {
      if (r.prevHash !== expected) {
        return { intact: false, records, seq: r.seq, at: r.at, reason: `its link (prev_hash ${r.prevHash.slice(0, 12)}…) does not match the record before it (${expected.slice(0, 12)}…): a record was removed, inserted or reordered` };
      }
      if (recordHash(r.prevHash, r) !== r.hash) {
        return { intact: false, records, seq: r.seq, at: r.at, reason: 'its content does not match its hash: the record was edited' };
      }
      expected = r.hash;
      after = r.seq;
      firstSeq ??= r.seq;
      records += 1;
    }
    if (rows.length < pageSize) break;
  }
  return { intact: true, records, firstSeq, lastSeq: records > 0 ? after : null, head: expected, anchor };
}

/** Removes the records older than `keepDays` (at least 180, the function refuses fewer), oldest first. */
export async function pruneAccessLog(db: Queryable, keepDays: number): Promise<{ pruned: number; throughSeq: number | null }> {
  const [row] = await db.query<{ pruned: string | number; through_seq: string | number | null }>('select pruned, through_seq from prune_access_log($1)', [keepDays]);
  return { pruned: Number(row?.pruned ?? 0), throughSeq: row?.through_seq == null ? null : Number(row.through_seq) };
}

/** Who the retention job is in its own record. */
export const RETENTION_JOB = 'system:access-log-retention';

/**
 * The retention job: prunes what is older than `keepDays` and, in the same transaction, appends a
 * record of its own saying how many records it removed and through which seq, so the log shows
 * every pruning and the chain goes on from the new anchor.
 */
export async function pruneAndRecord(db: Db, keepDays: number, by: { sub?: string; operation: string } = { operation: 'pruneAccessLog' }): Promise<{ pruned: number; throughSeq: number | null }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(async (tx) => {
        const result = await pruneAccessLog(tx, keepDays);
        await appendAccessRecords(tx, await chainHead(tx), [
          {
            at: new Date().toISOString(),
            sub: by.sub ?? RETENTION_JOB,
            name: '访问日志保存期限作业',
            roles: [],
            authority: null,
            event: 'ACCESS_LOG_PRUNED',
            operation: by.operation,
            caseId: null,
            documentId: null,
            address: null,
            userAgent: null,
            status: 200,
            detail: { keepDays, pruned: result.pruned, throughSeq: result.throughSeq },
          },
        ]);
        return result;
      });
    } catch (err) {
      // An API appended between the head read and the insert: the whole job again, from the new head.
      if (!(err instanceof ChainMoved) || attempt >= 10) throw err;
    }
  }
}
