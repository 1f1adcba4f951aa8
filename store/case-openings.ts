/**
 * The outbox of case openings: a case's number and the start of its workflow
 * are one operation. The number, the opening request and the case's sealed
 * input commit together (store/case-numbers.ts, services/cases/open-case.ts);
 * the workflow is started from this row, by the request itself and, if its
 * process died first, by the API's relay (services/cases/opening-relay.ts).
 * A number is therefore never left without its case, and a case is started
 * only from its row, never from a retried request: a row marked started is
 * never started again, so a retry after Temporal forgot a closed case (its
 * retention) cannot start a second run of it.
 */
import type { Queryable } from './db';

export interface CaseOpening {
  caseId: string;
  /** The case's input, sealed for the case (its payload as the client's codec encodes it, base64); none once started. */
  sealedInput: string | null;
  /** The matter's keyed hashes, for the MatterTerms search attribute (no personal data). */
  matterTerms: string[];
  startedAt: Date | null;
  attempts: number;
}

export async function saveCaseOpening(db: Queryable, o: { caseId: string; sealedInput: string; matterTerms: string[] }): Promise<void> {
  await db.query('insert into case_openings (case_id, sealed_input, matter_terms) values ($1, $2, $3)', [o.caseId, o.sealedInput, JSON.stringify(o.matterTerms)]);
}

export async function findCaseOpening(db: Queryable, caseId: string): Promise<CaseOpening | undefined> {
  const rows = await db.query<{ case_id: string; sealed_input: string | null; matter_terms: string[] | null; started_at: Date | string | null; attempts: number }>(
    'select case_id, sealed_input, matter_terms, started_at, attempts from case_openings where case_id = $1',
    [caseId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { caseId: row.case_id, sealedInput: row.sealed_input, matterTerms: row.matter_terms ?? [], startedAt: row.started_at ? new Date(row.started_at) : null, attempts: row.attempts };
}

/** The input is personal data: once the workflow holds it (encrypted), the outbox keeps only that it was started. */
export async function markCaseStarted(db: Queryable, caseId: string): Promise<void> {
  await db.query('update case_openings set started_at = coalesce(started_at, now()), sealed_input = null where case_id = $1', [caseId]);
}

export async function markStartFailed(db: Queryable, caseId: string, why: string): Promise<void> {
  await db.query('update case_openings set attempts = attempts + 1, attempted_at = now(), last_error = $2 where case_id = $1 and started_at is null', [caseId, why.slice(0, 500)]);
}

/** Openings not started that are older than `olderThanMs`: their request's own start failed or its process died. */
export async function pendingCaseOpenings(db: Queryable, olderThanMs: number, limit = 100): Promise<string[]> {
  const rows = await db.query<{ case_id: string }>(
    `select case_id from case_openings
      where started_at is null and created_at < now() - ($1::int * interval '1 millisecond')
      order by created_at limit $2`,
    [olderThanMs, limit],
  );
  return rows.map((r) => r.case_id);
}
