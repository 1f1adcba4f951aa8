/**
 * The dossier (卷宗) of a closed case: its final state and timeline, and the
 * documents it holds with the hashes of both their editable (.docx) and
 * archival (PDF/A) files, kept after Temporal's retention has removed the
 * workflow history.
 */
import type { CaseState } from '../domain/case/contract';
import type { Queryable } from './db';

export interface DossierDocument {
  documentId: string;
  number: string;
  title: string;
  kind: string;
  sha256: string | null;
  /** Null only for a document whose archival copy is still to be rendered (see the worker's sweep). */
  archivalSha256: string | null;
  /** SM3 of the same files; absent or null for documents issued (or copies rendered) before SM3 was recorded. */
  sm3?: string | null;
  archivalSm3?: string | null;
}

/** What the dossier records of the case's bound file: its digests, pages, when it was bound and how it was checked. */
const BOUND_FILE_SUMMARY = `select jsonb_build_object('sha256', sha256, 'sm3', sm3, 'pages', pages, 'boundAt', bound_at, 'validation', validation) from bound_files where case_id = $1`;

export interface DossierBoundFile {
  sha256: string;
  sm3: string;
  pages: number;
  boundAt: string;
  validation: { validator: string; profile: string; compliant: boolean };
}

/** The bound file's digests as the dossier recorded them (null: written before the file was bound). */
export async function dossierBoundFile(db: Queryable, caseId: string): Promise<DossierBoundFile | null | undefined> {
  const rows = await db.query<{ bound_file: DossierBoundFile | null }>('select bound_file from dossiers where case_id = $1', [caseId]);
  return rows[0] ? rows[0].bound_file : undefined;
}

/** A file bound after its dossier was written (by the sweep): the dossier records it then, once. */
export async function recordBoundFileInDossier(db: Queryable, caseId: string): Promise<void> {
  await db.query(`update dossiers set bound_file = (${BOUND_FILE_SUMMARY}) where case_id = $1 and bound_file is null`, [caseId]);
}

/** Writes the dossier once; a repeat (a retried activity) leaves the first in place. */
export async function saveDossier(db: Queryable, state: CaseState, closedAt: string): Promise<void> {
  await db.query(
    `insert into dossiers (case_id, authority, jurisdiction, outcome, state, closed_at, bound_file, documents)
     select $1, $2, $3, $4, $5, $6, (${BOUND_FILE_SUMMARY}), coalesce(jsonb_agg(jsonb_build_object(
       'documentId', id, 'number', number, 'title', title, 'kind', kind, 'sha256', sha256, 'archivalSha256', archival_sha256,
       'sm3', sm3, 'archivalSm3', archival_sm3
     ) order by issued_at, number), '[]'::jsonb)
     from documents where case_id = $1
     on conflict (case_id) do nothing`,
    [state.caseId, state.authority, state.jurisdiction, state.outcome ?? null, JSON.stringify(state), closedAt],
  );
}

export async function findDossier(db: Queryable, caseId: string): Promise<CaseState | undefined> {
  const rows = await db.query<{ state: CaseState }>('select state from dossiers where case_id = $1', [caseId]);
  return rows[0]?.state;
}

/** Of these cases, the ones with no dossier yet. */
export async function dossiersMissing(db: Queryable, caseIds: string[]): Promise<string[]> {
  if (caseIds.length === 0) return [];
  const rows = await db.query<{ case_id: string }>('select case_id from dossiers where case_id = any($1::text[])', [caseIds]);
  const present = new Set(rows.map((r) => r.case_id));
  return caseIds.filter((id) => !present.has(id));
}

/** The documents the dossier holds; a dossier written before they were listed answers from the archive's documents. */
export async function dossierDocuments(db: Queryable, caseId: string): Promise<DossierDocument[] | undefined> {
  const rows = await db.query<{ documents: DossierDocument[] | null }>('select documents from dossiers where case_id = $1', [caseId]);
  if (!rows[0]) return undefined;
  if (rows[0].documents) return rows[0].documents;
  const docs = await db.query<{ id: string; number: string; title: string; kind: string; sha256: string | null; archival_sha256: string | null; sm3: string | null; archival_sm3: string | null }>(
    'select id, number, title, kind, sha256, archival_sha256, sm3, archival_sm3 from documents where case_id = $1 order by issued_at, number',
    [caseId],
  );
  return docs.map((d) => ({ documentId: d.id, number: d.number, title: d.title, kind: d.kind, sha256: d.sha256, archivalSha256: d.archival_sha256, sm3: d.sm3, archivalSm3: d.archival_sm3 }));
}

/** Closed cases whose dossier records no bound file, oldest first: the sweep binds them. */
export async function dossiersWithoutBoundFile(db: Queryable, limit: number): Promise<CaseState[]> {
  const rows = await db.query<{ state: CaseState }>('select state from dossiers where bound_file is null order by closed_at, case_id limit $1', [limit]);
  return rows.map((r) => r.state);
}

/** A sweep's watermark: the close time of the newest case it recorded (ISO), if it ran before. */
export async function readWatermark(db: Queryable, name: string): Promise<string | undefined> {
  const rows = await db.query<{ closed_at: Date | string }>('select closed_at from sweep_watermarks where name = $1', [name]);
  return rows[0] ? new Date(rows[0].closed_at).toISOString() : undefined;
}

/** Moves the watermark forward, never back (two sweeps may finish in either order). */
export async function writeWatermark(db: Queryable, name: string, closedAt: string): Promise<void> {
  await db.query(
    `insert into sweep_watermarks (name, closed_at) values ($1, $2) on conflict (name) do update set closed_at = greatest(sweep_watermarks.closed_at, excluded.closed_at), updated_at = now()`,
    [name, closedAt],
  );
}
