/**
 * The read model of the cases: each case's state as of its last change, with
 * its version. The case writes it itself, in the workflow task of the change
 * (workflows/engine/case-file.ts), so the API reads a case, and authorises a
 * step on it, without a round trip to a worker, and still answers when no
 * worker runs.
 */
import type { CaseState } from '../domain/case/contract';
import type { Queryable } from './db';

export interface CaseView {
  state: CaseState;
  version: number;
  savedAt: string;
}

/** Writes the view unless a newer one is there already (a retried or late write never goes back in time). */
export async function saveCaseView(db: Queryable, state: CaseState, version: number): Promise<void> {
  await db.query(
    `insert into case_views (case_id, authority, version, closed, state, saved_at) values ($1, $2, $3, $4, $5, now())
     on conflict (case_id) do update set version = excluded.version, closed = excluded.closed, state = excluded.state, saved_at = excluded.saved_at
     where case_views.version < excluded.version`,
    [state.caseId, state.authority, version, state.closed, JSON.stringify(state)],
  );
}

export async function findCaseView(db: Queryable, caseId: string): Promise<CaseView | undefined> {
  const rows = await db.query<{ state: CaseState; version: number; saved_at: Date | string }>('select state, version, saved_at from case_views where case_id = $1', [caseId]);
  const row = rows[0];
  return row && { state: row.state, version: Number(row.version), savedAt: new Date(row.saved_at).toISOString() };
}
