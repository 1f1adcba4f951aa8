/**
 * The materials of each case's file: recorded once with their digests and
 * provenance, stored sealed, never deleted. A withdrawn material stays on
 * file, marked with who withdrew it, when and why; it is left out of the
 * bound file and said so in its 备考表.
 */
import { createHash } from 'node:crypto';
import type { PayloadKeyring } from '../services/codec/keys';
import { openFile, sealFile } from '../services/casefile/sealed-files';
import type { MaterialFormat } from '../services/casefile/file-types';
import type { Db, Queryable } from './db';
import { sm3Hex } from './documents';

export interface MaterialActor {
  sub: string;
  name: string;
}

export interface MaterialRecord {
  materialId: string;
  caseId: string;
  kind: string;
  title: string;
  /** 来源: where it came from. */
  source: string | null;
  /** 调取过程: how it was obtained. */
  obtainedBy: string | null;
  /** The date of the original (成文日期, 取证日期). */
  originalDate: string | null;
  fileName: string | null;
  format: MaterialFormat;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  sm3: string;
  uploadedBy: MaterialActor;
  uploadedAt: string;
  withdrawal: { at: string; by: MaterialActor; reason: string } | null;
}

interface Row {
  id: string;
  case_id: string;
  kind: string;
  title: string;
  source: string | null;
  obtained_by: string | null;
  original_date: string | null;
  file_name: string | null;
  format: MaterialFormat;
  media_type: string;
  size_bytes: number;
  sha256: string;
  sm3: string;
  uploaded_by: MaterialActor;
  uploaded_at: Date | string;
  withdrawn_at: Date | string | null;
  withdrawn_by: MaterialActor | null;
  withdrawn_reason: string | null;
}

const COLUMNS = `id, case_id, kind, title, source, obtained_by, to_char(original_date, 'YYYY-MM-DD') as original_date, file_name, format, media_type, size_bytes, sha256, sm3, uploaded_by, uploaded_at, withdrawn_at, withdrawn_by, withdrawn_reason`;

const toRecord = (r: Row): MaterialRecord => ({
  materialId: r.id,
  caseId: r.case_id,
  kind: r.kind,
  title: r.title,
  source: r.source,
  obtainedBy: r.obtained_by,
  originalDate: r.original_date,
  fileName: r.file_name,
  format: r.format,
  mediaType: r.media_type,
  sizeBytes: Number(r.size_bytes),
  sha256: r.sha256,
  sm3: r.sm3,
  uploadedBy: r.uploaded_by,
  uploadedAt: new Date(r.uploaded_at).toISOString(),
  withdrawal: r.withdrawn_at ? { at: new Date(r.withdrawn_at).toISOString(), by: r.withdrawn_by!, reason: r.withdrawn_reason ?? '' } : null,
});

/** What a sealed material is bound to: a copy into another row or case does not open. */
const sealContext = (caseId: string, materialId: string) => `material:${caseId}:${materialId}`;

export interface NewMaterial {
  caseId: string;
  authority: string;
  kind: string;
  title: string;
  source?: string | undefined;
  obtainedBy?: string | undefined;
  originalDate?: string | undefined;
  fileName?: string | undefined;
  format: MaterialFormat;
  mediaType: string;
  bytes: Buffer;
  uploadedBy: MaterialActor;
}

/** The case's materials would together exceed its limit. */
export class CaseMaterialsFull extends Error {
  override name = 'CaseMaterialsFull';
  constructor(
    readonly usedBytes: number,
    readonly limitBytes: number,
  ) {
    super(`the case's materials would exceed ${limitBytes} bytes`);
  }
}

/** The case's file is bound (建档): it takes no more materials. */
export class CaseFileBound extends Error {
  override name = 'CaseFileBound';
}

/**
 * Records the material with its digests, sealed. The case's total is checked in the same
 * transaction, under a lock of the case, so two uploads at once cannot both slip under the limit;
 * withdrawn materials count too, since they are kept.
 */
export async function recordMaterial(db: Db, keyring: PayloadKeyring, material: NewMaterial, caseLimitBytes: number): Promise<MaterialRecord> {
  const sha256 = createHash('sha256').update(material.bytes).digest('hex');
  const sm3 = sm3Hex(material.bytes);
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(7233002, hashtext($1))', [material.caseId]);
    if ((await tx.query('select 1 from bound_files where case_id = $1', [material.caseId])).length > 0) throw new CaseFileBound(material.caseId);
    const [used] = await tx.query<{ total: string | number | null }>('select coalesce(sum(size_bytes), 0) as total from materials where case_id = $1', [material.caseId]);
    const total = Number(used?.total ?? 0);
    if (total + material.bytes.length > caseLimitBytes) throw new CaseMaterialsFull(total, caseLimitBytes);
    const [{ id } = { id: '' }] = await tx.query<{ id: string }>('select gen_random_uuid()::text as id');
    const sealed = sealFile(keyring, material.bytes, sealContext(material.caseId, id));
    const rows = await tx.query<Row>(
      `insert into materials (id, case_id, authority, kind, title, source, obtained_by, original_date, file_name, format, media_type, size_bytes, sha256, sm3, key_id, cipher, file, uploaded_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) returning ${COLUMNS}`,
      [
        id,
        material.caseId,
        material.authority,
        material.kind,
        material.title,
        material.source ?? null,
        material.obtainedBy ?? null,
        material.originalDate ?? null,
        material.fileName ?? null,
        material.format,
        material.mediaType,
        material.bytes.length,
        sha256,
        sm3,
        sealed.keyId,
        sealed.cipher,
        sealed.sealed,
        JSON.stringify(material.uploadedBy),
      ],
    );
    return toRecord(rows[0]!);
  });
}

export async function materialsOfCase(db: Queryable, caseId: string): Promise<MaterialRecord[]> {
  const rows = await db.query<Row>(`select ${COLUMNS} from materials where case_id = $1 order by uploaded_at, id`, [caseId]);
  return rows.map(toRecord);
}

export async function findMaterial(db: Queryable, materialId: string): Promise<MaterialRecord | undefined> {
  const rows = await db.query<Row>(`select ${COLUMNS} from materials where id = $1`, [materialId]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function findMaterials(db: Queryable, caseId: string, ids: string[]): Promise<MaterialRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<Row>(`select ${COLUMNS} from materials where case_id = $1 and id = any($2::uuid[])`, [caseId, ids]);
  return rows.map(toRecord);
}

/** The file as uploaded, and whether it still matches both digests taken at upload. */
export async function materialFile(db: Queryable, keyring: PayloadKeyring, material: Pick<MaterialRecord, 'materialId' | 'caseId'>): Promise<{ bytes: Buffer; intact: boolean }> {
  const rows = await db.query<{ file: Uint8Array; key_id: string; cipher: string; sha256: string; sm3: string }>('select file, key_id, cipher, sha256, sm3 from materials where id = $1', [material.materialId]);
  const row = rows[0];
  if (!row) throw new Error(`no material ${material.materialId}`);
  let bytes: Buffer;
  try {
    bytes = openFile(keyring, { keyId: row.key_id, cipher: row.cipher, sealed: Buffer.from(row.file) }, sealContext(material.caseId, material.materialId));
  } catch {
    // Altered at rest (or sealed for another row): no longer the file that was uploaded.
    return { bytes: Buffer.alloc(0), intact: false };
  }
  const intact = createHash('sha256').update(bytes).digest('hex') === row.sha256 && sm3Hex(bytes) === row.sm3;
  return { bytes, intact };
}

/** Marks the material withdrawn, once: a second withdrawal leaves the first standing. Answers the material as it now is. */
export async function withdrawMaterial(db: Queryable, materialId: string, by: MaterialActor, reason: string): Promise<MaterialRecord | undefined> {
  await db.query(`update materials set withdrawn_at = now(), withdrawn_by = $2, withdrawn_reason = $3 where id = $1 and withdrawn_at is null`, [materialId, JSON.stringify(by), reason]);
  return findMaterial(db, materialId);
}
