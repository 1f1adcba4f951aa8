import type { Queryable } from './db';

export interface CaseRequest {
  caseId: string;
  bodySha256: string;
}

/** Who sent a request: the same account id at another authority is someone else. */
export interface Requester {
  authority: string;
  sub: string;
}

/** What an earlier POST /v1/cases with this Idempotency-Key by this user of this authority produced, if any. */
export async function findCaseRequest(db: Queryable, by: Requester, key: string): Promise<CaseRequest | undefined> {
  const rows = await db.query<{ case_id: string; body_sha256: string }>(
    'select case_id, body_sha256 from case_requests where authority = $1 and requested_by = $2 and idempotency_key = $3',
    [by.authority, by.sub, key],
  );
  const row = rows[0];
  return row ? { caseId: row.case_id, bodySha256: row.body_sha256 } : undefined;
}
