import type { Queryable } from './db';

export interface CaseRequest {
  caseId: string;
  bodySha256: string;
}

/** What an earlier POST /v1/cases with this Idempotency-Key by this user produced, if any. */
export async function findCaseRequest(db: Queryable, requestedBy: string, key: string): Promise<CaseRequest | undefined> {
  const rows = await db.query<{ case_id: string; body_sha256: string }>(
    'select case_id, body_sha256 from case_requests where requested_by = $1 and idempotency_key = $2',
    [requestedBy, key],
  );
  const row = rows[0];
  return row ? { caseId: row.case_id, bodySha256: row.body_sha256 } : undefined;
}

export async function saveCaseRequest(db: Queryable, requestedBy: string, key: string, request: CaseRequest): Promise<void> {
  await db.query(
    'insert into case_requests (requested_by, idempotency_key, body_sha256, case_id) values ($1, $2, $3, $4)',
    [requestedBy, key, request.bodySha256, request.caseId],
  );
}
