import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db';

/** SM3 (GM/T 0004-2012) of a file, in hex, recorded beside its SHA-256 for deployments assessed under GB/T 39786. */
export function sm3Hex(bytes: Uint8Array): string {
  return createHash('sm3').update(bytes).digest('hex');
}

export interface DocumentRecord {
  documentId: string;
  number: string;
  issuedAt: string;
}

interface Row {
  id: string;
  number: string;
  issued_at: Date | string;
}

const toRecord = (row: Row): DocumentRecord => ({ documentId: row.id, number: row.number, issuedAt: new Date(row.issued_at).toISOString() });

async function findByKey(db: Queryable, key: string): Promise<DocumentRecord | undefined> {
  const rows = await db.query<Row>('select id, number, issued_at from documents where idempotency_key = $1', [key]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export interface RenderedFile {
  bytes: Buffer;
  mediaType: string;
}

export interface NewDocument {
  caseId: string;
  idempotencyKey: string;
  kind: string;
  prefix: string;
  year: number;
  title: string;
  body: string;
  article: string;
  recipients: string[];
  copyTo: string[];
  issuedBy: unknown;
  /** Renders the file once the number is known; runs inside the transaction that takes the number. */
  render(number: string): Promise<RenderedFile>;
}

/**
 * Records a document under the next number of its prefix and year (滨纪免〔2026〕3号).
 * Number and document commit together, so numbers have no gaps; the
 * idempotency key makes a retry return the document already recorded.
 */
export async function recordDocument(db: Db, doc: NewDocument): Promise<DocumentRecord> {
  const existing = await findByKey(db, doc.idempotencyKey);
  if (existing) return existing;
  try {
    return await db.transaction(async (tx) => {
      const seq = await tx.query<{ last_number: number }>(
        `insert into document_numbers (prefix, year, last_number) values ($1, $2, 1)
         on conflict (prefix, year) do update set last_number = document_numbers.last_number + 1
         returning last_number`,
        [doc.prefix, doc.year],
      );
      const number = `${doc.prefix}〔${doc.year}〕${seq[0]?.last_number}号`;
      const file = await doc.render(number);
      const rows = await tx.query<Row>(
        `insert into documents (case_id, idempotency_key, kind, number, title, body, article, recipients, copy_to, issued_by, file, sha256, media_type, sm3)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id, number, issued_at`,
        [
          doc.caseId,
          doc.idempotencyKey,
          doc.kind,
          number,
          doc.title,
          doc.body,
          doc.article,
          JSON.stringify(doc.recipients),
          JSON.stringify(doc.copyTo),
          JSON.stringify(doc.issuedBy),
          file.bytes,
          createHash('sha256').update(file.bytes).digest('hex'),
          file.mediaType,
          sm3Hex(file.bytes),
        ],
      );
      return toRecord(rows[0] as Row);
    });
  } catch (err) {
    // A concurrent attempt with the same key committed first; its number stands and ours rolled back.
    const winner = await findByKey(db, doc.idempotencyKey);
    if (winner) return winner;
    throw err;
  }
}

export interface StoredDocument {
  documentId: string;
  sha256: string | null;
  /** SM3 (GM/T 0004-2012) of the same file, recorded beside its SHA-256; null for documents issued before. */
  sm3: string | null;
  mediaType: string | null;
  caseId: string;
  kind: string;
  number: string;
  title: string;
  body: string;
  article: string;
  issuedAt: string;
  /** The archival PDF's hash; null until it is rendered. */
  archivalSha256: string | null;
  archivalSm3: string | null;
}

interface FullRow extends Row {
  case_id: string;
  sha256: string | null;
  sm3: string | null;
  media_type: string | null;
  archival_sha256: string | null;
  archival_sm3: string | null;
  kind: string;
  title: string;
  body: string;
  article: string;
}

const toStored = (row: FullRow): StoredDocument => ({
  documentId: row.id,
  sha256: row.sha256,
  sm3: row.sm3,
  mediaType: row.media_type,
  caseId: row.case_id,
  kind: row.kind,
  number: row.number,
  title: row.title,
  body: row.body,
  article: row.article,
  issuedAt: new Date(row.issued_at).toISOString(),
  archivalSha256: row.archival_sha256,
  archivalSm3: row.archival_sm3,
});

export async function documentsOfCase(db: Queryable, caseId: string): Promise<StoredDocument[]> {
  const rows = await db.query<FullRow>(
    'select id, case_id, kind, number, title, body, article, issued_at, sha256, sm3, media_type, archival_sha256, archival_sm3 from documents where case_id = $1 order by issued_at, number',
    [caseId],
  );
  return rows.map(toStored);
}

export async function findDocument(db: Queryable, id: string): Promise<StoredDocument | undefined> {
  const rows = await db.query<FullRow>('select id, case_id, kind, number, title, body, article, issued_at, sha256, sm3, media_type, archival_sha256, archival_sm3 from documents where id = $1', [id]);
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** A stored file with the digests recorded when it was made. */
export interface StoredFile {
  bytes: Buffer;
  sha256: string;
  /** Null for a file made before SM3 digests were recorded. */
  sm3: string | null;
  /** Whether it still matches every digest recorded for it. */
  intact: boolean;
  mediaType: string;
}

function checkedFile(bytes: Buffer, sha256: string, sm3: string | null, mediaType: string): StoredFile {
  const intact = createHash('sha256').update(bytes).digest('hex') === sha256 && (sm3 === null || sm3Hex(bytes) === sm3);
  return { bytes, sha256, sm3, intact, mediaType };
}

/** The stored file, and whether it still matches the digests recorded when it was issued. */
export async function documentFile(db: Queryable, id: string): Promise<StoredFile | undefined> {
  const rows = await db.query<{ file: Uint8Array | null; sha256: string | null; sm3: string | null; media_type: string | null }>('select file, sha256, sm3, media_type from documents where id = $1', [id]);
  const row = rows[0];
  if (!row?.file || !row.sha256) return undefined;
  return checkedFile(Buffer.from(row.file), row.sha256, row.sm3, row.media_type ?? 'application/octet-stream');
}

/** The archival (fixed-layout) copy of a document: rendered after the document is recorded, with its own hash. */
export interface ArchivalCopy {
  bytes: Buffer;
  mediaType: string;
  /** The renderer and its version, e.g. LibreOffice 7.4.7.2. */
  renderer: string;
}

/** The .docx files of those documents that have no archival copy yet; the others need nothing. */
export async function documentsAwaitingArchivalCopy(db: Queryable, ids: string[]): Promise<{ documentId: string; number: string; bytes: Buffer }[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: string; number: string; file: Uint8Array }>(
    'select id, number, file from documents where id = any($1::uuid[]) and archival_file is null and file is not null order by number',
    [ids],
  );
  return rows.map((r) => ({ documentId: r.id, number: r.number, bytes: Buffer.from(r.file) }));
}

/** Documents issued without an archival copy (before copies existed, or while the renderer was missing), oldest first. */
export async function documentsWithoutArchivalCopy(db: Queryable, limit = 50): Promise<string[]> {
  const rows = await db.query<{ id: string }>('select id from documents where archival_file is null and file is not null order by issued_at limit $1', [limit]);
  return rows.map((r) => r.id);
}

/** Records the copy once: a repeat (a retried activity, a sweep racing it) leaves the first in place. */
export async function recordArchivalCopy(db: Queryable, documentId: string, copy: ArchivalCopy): Promise<string> {
  const sha256 = createHash('sha256').update(copy.bytes).digest('hex');
  await db.query(
    `update documents set archival_file = $2, archival_sha256 = $3, archival_media_type = $4, archival_renderer = $5, archival_rendered_at = now(), archival_sm3 = $6
     where id = $1 and archival_file is null`,
    [documentId, copy.bytes, sha256, copy.mediaType, copy.renderer, sm3Hex(copy.bytes)],
  );
  const rows = await db.query<{ archival_sha256: string }>('select archival_sha256 from documents where id = $1', [documentId]);
  return rows[0]!.archival_sha256;
}

/** The archival copy, and whether it still matches the digests recorded when it was rendered. */
export async function archivalFile(db: Queryable, id: string): Promise<StoredFile | undefined> {
  const rows = await db.query<{ archival_file: Uint8Array | null; archival_sha256: string | null; archival_sm3: string | null; archival_media_type: string | null }>(
    'select archival_file, archival_sha256, archival_sm3, archival_media_type from documents where id = $1',
    [id],
  );
  const row = rows[0];
  if (!row?.archival_file || !row.archival_sha256) return undefined;
  return checkedFile(Buffer.from(row.archival_file), row.archival_sha256, row.archival_sm3, row.archival_media_type ?? 'application/pdf');
}
