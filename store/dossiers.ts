/**
 * The dossier (卷宗) of a closed case: its final state and timeline, kept
 * after Temporal's retention has removed the workflow history.
 */
import type { CaseState } from '../domain/case/contract';
import type { Queryable } from './db';

/** Writes the dossier once; a repeat (a retried activity) leaves the first in place. */
export async function saveDossier(db: Queryable, state: CaseState, closedAt: string): Promise<void> {
  await db.query(
    `insert into dossiers (case_id, authority, jurisdiction, outcome, state, closed_at) values ($1, $2, $3, $4, $5, $6)
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
