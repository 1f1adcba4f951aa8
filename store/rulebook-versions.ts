/**
 * Rulebook versions a deploying body submitted through the API, the audit
 * trail of everything done with them, and the jurisdictions authorities were
 * bound to through the API. A version's content is written once; the database
 * itself refuses to edit or delete it (migration 70's triggers), and the audit
 * trail only grows.
 */
import type { Rulebook } from '../domain/rulebooks/schema';
import type { Queryable } from './db';

export interface Person {
  sub: string;
  name: string;
  authority: string;
}

export type VersionStatus = 'submitted' | 'approved' | 'withdrawn';

export interface StoredVersion {
  id: string;
  jurisdiction: string;
  version: string;
  revision: number;
  status: VersionStatus;
  rulebook: Rulebook;
  file: { name: string; text: string; sha256: string };
  regulation: { file: string; text: string; sha256: string };
  submittedBy: Person;
  submittedAt: string;
  approvedBy?: Person | undefined;
  approvedAt?: string | undefined;
  inForceFrom?: string | undefined;
  inForceUntil?: string | undefined;
  withdrawnBy?: Person | undefined;
  withdrawnAt?: string | undefined;
  withdrawalReason?: string | undefined;
}

/** A version without its texts: what lists and the in-force index need. */
export type VersionSummary = Omit<StoredVersion, 'rulebook' | 'file' | 'regulation'> & { fileName: string; regulationFile: string };

interface Row {
  id: string;
  jurisdiction: string;
  version: string;
  revision: number;
  status: VersionStatus;
  rulebook?: Rulebook;
  file_name: string;
  file_text?: string;
  file_sha256?: string;
  regulation_file: string;
  regulation_text?: string;
  regulation_sha256?: string;
  submitted_by: Person;
  submitted_at: Date | string;
  approved_by: Person | null;
  approved_at: Date | string | null;
  in_force_from: Date | string | null;
  in_force_until: Date | string | null;
  withdrawn_by: Person | null;
  withdrawn_at: Date | string | null;
  withdrawal_reason: string | null;
}

const iso = (v: Date | string | null) => (v === null ? undefined : new Date(v).toISOString());
/** A `date` column, read as text (YYYY-MM-DD) so no driver turns it into a moment in some time zone. */
const day = (v: Date | string | null) => (v === null ? undefined : String(v).slice(0, 10));

function summaryOf(r: Row): VersionSummary {
  return {
    id: r.id,
    jurisdiction: r.jurisdiction,
    version: r.version,
    revision: r.revision,
    status: r.status,
    fileName: r.file_name,
    regulationFile: r.regulation_file,
    submittedBy: r.submitted_by,
    submittedAt: iso(r.submitted_at)!,
    approvedBy: r.approved_by ?? undefined,
    approvedAt: iso(r.approved_at),
    inForceFrom: day(r.in_force_from),
    inForceUntil: day(r.in_force_until),
    withdrawnBy: r.withdrawn_by ?? undefined,
    withdrawnAt: iso(r.withdrawn_at),
    withdrawalReason: r.withdrawal_reason ?? undefined,
  };
}

function versionOf(r: Row): StoredVersion {
  const { fileName, regulationFile, ...summary } = summaryOf(r);
  return {
    ...summary,
    rulebook: r.rulebook!,
    file: { name: fileName, text: r.file_text!, sha256: r.file_sha256! },
    regulation: { file: regulationFile, text: r.regulation_text!, sha256: r.regulation_sha256! },
  };
}

const SUMMARY_COLUMNS = `id, jurisdiction, version, revision, status, file_name, regulation_file, submitted_by, submitted_at,
  approved_by, approved_at, in_force_from::text as in_force_from, in_force_until::text as in_force_until, withdrawn_by, withdrawn_at, withdrawal_reason`;
const FULL_COLUMNS = `${SUMMARY_COLUMNS}, rulebook, file_text, file_sha256, regulation_text, regulation_sha256`;

export async function insertVersion(
  db: Queryable,
  v: { rulebook: Rulebook; file: StoredVersion['file']; regulation: StoredVersion['regulation']; submittedBy: Person },
): Promise<StoredVersion> {
  const rows = await db.query<Row>(
    `insert into rulebook_versions (jurisdiction, version, revision, status, rulebook, file_name, file_text, file_sha256, regulation_file, regulation_text, regulation_sha256, submitted_by)
     values ($1, $2, $3, 'submitted', $4::jsonb, $5, $6, $7, $8, $9, $10, $11::jsonb)
     returning ${FULL_COLUMNS}`,
    [
      v.rulebook.id,
      v.rulebook.version,
      v.rulebook.revision,
      JSON.stringify(v.rulebook),
      v.file.name,
      v.file.text,
      v.file.sha256,
      v.regulation.file,
      v.regulation.text,
      v.regulation.sha256,
      JSON.stringify(v.submittedBy),
    ],
  );
  return versionOf(rows[0]!);
}

export async function findVersion(db: Queryable, id: string): Promise<StoredVersion | undefined> {
  const rows = await db.query<Row>(`select ${FULL_COLUMNS} from rulebook_versions where id = $1`, [id]);
  return rows[0] && versionOf(rows[0]);
}

/** A live (not withdrawn) version with this jurisdiction, version and revision. */
export async function findLiveRevision(db: Queryable, jurisdiction: string, version: string, revision: number): Promise<VersionSummary | undefined> {
  const rows = await db.query<Row>(`select ${SUMMARY_COLUMNS} from rulebook_versions where jurisdiction = $1 and version = $2 and revision = $3 and status <> 'withdrawn'`, [
    jurisdiction,
    version,
    revision,
  ]);
  return rows[0] && summaryOf(rows[0]);
}

export async function listVersions(db: Queryable, filter: { jurisdictions?: string[] } = {}): Promise<VersionSummary[]> {
  const rows = filter.jurisdictions
    ? await db.query<Row>(`select ${SUMMARY_COLUMNS} from rulebook_versions where jurisdiction = any($1::text[]) order by jurisdiction, submitted_at`, [filter.jurisdictions])
    : await db.query<Row>(`select ${SUMMARY_COLUMNS} from rulebook_versions order by jurisdiction, submitted_at`);
  return rows.map(summaryOf);
}

/** The approved versions, for the in-force index: ids and days only; the rulebooks are read once each (they never change). */
export async function approvedWindows(db: Queryable): Promise<{ id: string; jurisdiction: string; revision: number; from: string; until?: string | undefined }[]> {
  const rows = await db.query<{ id: string; jurisdiction: string; revision: number; in_force_from: string; in_force_until: string | null }>(
    `select id, jurisdiction, revision, in_force_from::text as in_force_from, in_force_until::text as in_force_until from rulebook_versions where status = 'approved'`,
  );
  return rows.map((r) => ({ id: r.id, jurisdiction: r.jurisdiction, revision: r.revision, from: r.in_force_from, until: r.in_force_until ?? undefined }));
}

export async function rulebooksOf(db: Queryable, ids: string[]): Promise<Map<string, Rulebook>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; rulebook: Rulebook }>(`select id, rulebook from rulebook_versions where id = any($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.id, r.rulebook]));
}

/** Approves a submitted version; undefined when it was no longer submitted (approved or withdrawn meanwhile). */
export async function markApproved(db: Queryable, id: string, by: Person, from: string, until: string | undefined): Promise<StoredVersion | undefined> {
  const rows = await db.query<Row>(
    `update rulebook_versions set status = 'approved', approved_by = $2::jsonb, approved_at = now(), in_force_from = $3::date, in_force_until = $4::date
      where id = $1 and status = 'submitted'
      returning ${FULL_COLUMNS}`,
    [id, JSON.stringify(by), from, until ?? null],
  );
  return rows[0] && versionOf(rows[0]);
}

export async function markWithdrawn(db: Queryable, id: string, by: Person, reason: string): Promise<StoredVersion | undefined> {
  const rows = await db.query<Row>(
    `update rulebook_versions set status = 'withdrawn', withdrawn_by = $2::jsonb, withdrawn_at = now(), withdrawal_reason = $3
      where id = $1 and status <> 'withdrawn'
      returning ${FULL_COLUMNS}`,
    [id, JSON.stringify(by), reason],
  );
  return rows[0] && versionOf(rows[0]);
}

/** Serialises approvals of one jurisdiction, so two approved together cannot both be in force on one day. */
export async function lockJurisdiction(tx: Queryable, jurisdiction: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(7233070, hashtext($1))`, [jurisdiction]);
}

// ---- The audit trail ------------------------------------------------------------------------------

export type AuditAction = 'submitted' | 'refused' | 'checked' | 'simulated' | 'compared' | 'approved' | 'approvalRefused' | 'withdrawn' | 'bound' | 'unbound';

export interface AuditEntry {
  id: number;
  at: string;
  action: AuditAction;
  jurisdiction: string;
  versionId?: string | undefined;
  actor: Person & { roles: string[] };
  detail: Record<string, unknown>;
}

export async function appendAudit(db: Queryable, entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
  await db.query(`insert into rulebook_audit (action, jurisdiction, version_id, actor, detail) values ($1, $2, $3, $4::jsonb, $5::jsonb)`, [
    entry.action,
    entry.jurisdiction,
    entry.versionId ?? null,
    JSON.stringify(entry.actor),
    JSON.stringify(entry.detail),
  ]);
}

export async function listAudit(db: Queryable, filter: { jurisdictions?: string[]; versionId?: string }, limit = 500): Promise<AuditEntry[]> {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.jurisdictions) {
    params.push(filter.jurisdictions);
    clauses.push(`jurisdiction = any($${params.length}::text[])`);
  }
  if (filter.versionId) {
    params.push(filter.versionId);
    clauses.push(`version_id = $${params.length}`);
  }
  params.push(limit);
  const rows = await db.query<{ id: string | number; at: Date | string; action: AuditAction; jurisdiction: string; version_id: string | null; actor: AuditEntry['actor']; detail: Record<string, unknown> }>(
    `select id, at, action, jurisdiction, version_id, actor, detail from rulebook_audit ${clauses.length ? `where ${clauses.join(' and ')}` : ''} order by id desc limit $${params.length}`,
    params,
  );
  return rows.map((r) => ({ id: Number(r.id), at: iso(r.at)!, action: r.action, jurisdiction: r.jurisdiction, versionId: r.version_id ?? undefined, actor: r.actor, detail: r.detail }));
}

// ---- Authorities bound to jurisdictions through the API --------------------------------------------

export async function boundThroughApi(db: Queryable, authority?: string): Promise<{ authority: string; jurisdiction: string; boundBy: Person; boundAt: string }[]> {
  const rows = authority
    ? await db.query<{ authority: string; jurisdiction: string; bound_by: Person; bound_at: Date | string }>(`select * from authority_jurisdictions where authority = $1 order by jurisdiction`, [authority])
    : await db.query<{ authority: string; jurisdiction: string; bound_by: Person; bound_at: Date | string }>(`select * from authority_jurisdictions order by authority, jurisdiction`);
  return rows.map((r) => ({ authority: r.authority, jurisdiction: r.jurisdiction, boundBy: r.bound_by, boundAt: iso(r.bound_at)! }));
}

export async function bindJurisdiction(db: Queryable, authority: string, jurisdiction: string, by: Person): Promise<boolean> {
  const rows = await db.query(`insert into authority_jurisdictions (authority, jurisdiction, bound_by) values ($1, $2, $3::jsonb) on conflict do nothing returning 1`, [
    authority,
    jurisdiction,
    JSON.stringify(by),
  ]);
  return rows.length > 0;
}

export async function unbindJurisdiction(db: Queryable, authority: string, jurisdiction: string): Promise<boolean> {
  const rows = await db.query(`delete from authority_jurisdictions where authority = $1 and jurisdiction = $2 returning 1`, [authority, jurisdiction]);
  return rows.length > 0;
}
