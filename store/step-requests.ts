/**
 * Steps taken over the API with an Idempotency-Key. The update id of the step
 * is derived from the caller and the key, so a retry reaches the same update
 * and Temporal answers it with the first outcome; this table only makes sure a
 * key is not reused for another step (another case, action or body).
 */
import type { Queryable } from './db';

export interface StepRequest {
  authority: string;
  requestedBy: string;
  idempotencyKey: string;
  caseId: string;
  action: string;
  bodySha256: string;
  updateId: string;
}

/** Records the request the first time; answers the request first recorded under this caller and key. */
export async function claimStepRequest(db: Queryable, request: StepRequest): Promise<StepRequest> {
  await db.query(
    `insert into step_requests (authority, requested_by, idempotency_key, case_id, action, body_sha256, update_id)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (authority, requested_by, idempotency_key) do nothing`,
    [request.authority, request.requestedBy, request.idempotencyKey, request.caseId, request.action, request.bodySha256, request.updateId],
  );
  return (await findStepRequest(db, request, request.idempotencyKey))!;
}

/** The request first recorded under this caller and key, if any. */
export async function findStepRequest(db: Queryable, caller: Pick<StepRequest, 'authority' | 'requestedBy'>, idempotencyKey: string): Promise<StepRequest | undefined> {
  const rows = await db.query<{ case_id: string; action: string; body_sha256: string; update_id: string }>(
    'select case_id, action, body_sha256, update_id from step_requests where authority = $1 and requested_by = $2 and idempotency_key = $3',
    [caller.authority, caller.requestedBy, idempotencyKey],
  );
  const row = rows[0];
  return row && { authority: caller.authority, requestedBy: caller.requestedBy, idempotencyKey, caseId: row.case_id, action: row.action, bodySha256: row.body_sha256, updateId: row.update_id };
}
