/**
 * The bound file of each case (the archival PDF/A made at 建档), sealed like
 * the materials, with its digests, what it holds (卷内目录 with page numbers)
 * and how it was checked as PDF/A. Written once: a retried binding leaves the
 * first, so the digests in the dossier stay true.
 */
import { createHash } from 'node:crypto';
import type { PayloadKeyring } from '../services/codec/keys';
import { openFile, sealFile } from '../services/casefile/sealed-files';
import type { Queryable } from './db';
import { sm3Hex } from './documents';

/** One entry of the 卷内目录: a document or a material, where it starts and ends in the bound file. */
export interface BoundItem {
  /** 序号, from 1. */
  sequence: number;
  source: 'document' | 'material';
  /** The document's or material's id. */
  id: string;
  /** 文号: the document number; for a material, its own reference where it has one, else empty. */
  reference: string;
  /** 责任者: who made it (the issuing body, or where a material came from). */
  responsible: string;
  title: string;
  /** 日期, YYYY-MM-DD. */
  date: string;
  kind: string;
  firstPage: number;
  lastPage: number;
  sha256: string;
  sm3: string;
  /** How it got into the bound file: as it was (a PDF/A), images placed on pages, rendered by LibreOffice, or its pages as images. */
  rendering: 'asIs' | 'image' | 'libreoffice' | 'rasterised' | 'ofdImages';
}

export interface BoundFileContents {
  title: string;
  /** Pages of the 卷内文件, numbered 1..pages (the cover, the 卷内目录 and the 备考表 are not numbered, GB/T 9705-2008). */
  numberedPages: number;
  items: BoundItem[];
  /** Materials withdrawn before binding: on file in the archive, not bound, named in the 备考表. */
  withdrawn: { id: string; title: string; at: string; by: string; reason: string }[];
  boundBy: string;
}

export interface PdfaValidation {
  /** veraPDF and its version, or the product's own structural check where veraPDF is not installed. */
  validator: string;
  profile: string;
  compliant: boolean;
  /** What failed, where something did. */
  failures: string[];
}

export interface BoundFileRecord {
  caseId: string;
  sha256: string;
  sm3: string;
  pages: number;
  sizeBytes: number;
  contents: BoundFileContents;
  validation: PdfaValidation;
  boundAt: string;
}

interface Row {
  case_id: string;
  sha256: string;
  sm3: string;
  pages: number;
  size_bytes: number;
  contents: BoundFileContents;
  validation: PdfaValidation;
  bound_at: Date | string;
}

const toRecord = (r: Row): BoundFileRecord => ({
  caseId: r.case_id,
  sha256: r.sha256,
  sm3: r.sm3,
  pages: Number(r.pages),
  sizeBytes: Number(r.size_bytes),
  contents: r.contents,
  validation: r.validation,
  boundAt: new Date(r.bound_at).toISOString(),
});

const sealContext = (caseId: string) => `bound-file:${caseId}`;

export async function saveBoundFile(
  db: Queryable,
  keyring: PayloadKeyring,
  file: { caseId: string; authority: string; pdf: Buffer; pages: number; contents: BoundFileContents; validation: PdfaValidation },
): Promise<BoundFileRecord> {
  const sealed = sealFile(keyring, file.pdf, sealContext(file.caseId));
  await db.query(
    `insert into bound_files (case_id, authority, sha256, sm3, pages, size_bytes, key_id, cipher, file, contents, validation)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict (case_id) do nothing`,
    [
      file.caseId,
      file.authority,
      createHash('sha256').update(file.pdf).digest('hex'),
      sm3Hex(file.pdf),
      file.pages,
      file.pdf.length,
      sealed.keyId,
      sealed.cipher,
      sealed.sealed,
      JSON.stringify(file.contents),
      JSON.stringify(file.validation),
    ],
  );
  return (await findBoundFile(db, file.caseId))!;
}

export async function findBoundFile(db: Queryable, caseId: string): Promise<BoundFileRecord | undefined> {
  const rows = await db.query<Row>('select case_id, sha256, sm3, pages, size_bytes, contents, validation, bound_at from bound_files where case_id = $1', [caseId]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function isCaseFileBound(db: Queryable, caseId: string): Promise<boolean> {
  return (await db.query('select 1 from bound_files where case_id = $1', [caseId])).length > 0;
}

/** The bound PDF, and whether it still matches its digests. */
export async function boundFilePdf(db: Queryable, keyring: PayloadKeyring, caseId: string): Promise<{ bytes: Buffer; intact: boolean } | undefined> {
  const rows = await db.query<{ file: Uint8Array; key_id: string; cipher: string; sha256: string; sm3: string }>('select file, key_id, cipher, sha256, sm3 from bound_files where case_id = $1', [caseId]);
  const row = rows[0];
  if (!row) return undefined;
  let bytes: Buffer;
  try {
    bytes = openFile(keyring, { keyId: row.key_id, cipher: row.cipher, sealed: Buffer.from(row.file) }, sealContext(caseId));
  } catch {
    return { bytes: Buffer.alloc(0), intact: false };
  }
  return { bytes, intact: createHash('sha256').update(bytes).digest('hex') === row.sha256 && sm3Hex(bytes) === row.sm3 };
}
