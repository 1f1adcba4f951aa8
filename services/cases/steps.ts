/**
 * Taking a step on a case: one Workflow Update, applied once however often
 * the caller retries it, and never waited on for ever.
 *
 * With an Idempotency-Key the update id comes from the caller and the key, so
 * a retry after a timeout reaches the same update and Temporal answers it with
 * the first outcome. The caller waits a bounded time; a step the case has not
 * finished by then (the worker is down, the case is busy) answers `pending`
 * with the update id, whose outcome can be asked for again.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { actionUpdate, type ActionInputs, type ActionName, type Actor, type StepResult } from '../../domain/case/contract';
import type { Queryable } from '../../store/db';
import { claimStepRequest, findStepRequest } from '../../store/step-requests';
import { canonicalHash, IdempotencyConflict, stepUpdateId } from './idempotency';

export type StepOutcome = { status: 'done'; result: StepResult; updateId: string } | { status: 'pending'; updateId: string };

export interface StepDeps {
  db: Queryable;
  client: Client;
  /** How long a caller waits for the case to take the step. */
  waitMs: number;
}

export interface StepRequest {
  caseId: string;
  action: ActionName;
  body: Record<string, unknown>;
  actor: Actor & { roles: string[] };
  authority: string;
  idempotencyKey?: string | undefined;
  /** The update's id where the caller needs to know it first (a party's filing) and sends no Idempotency-Key. */
  updateId?: string | undefined;
}

export async function takeStep(deps: StepDeps, request: StepRequest): Promise<StepOutcome> {
  let updateId = request.updateId ?? `step-${randomUUID()}`;
  if (request.idempotencyKey) {
    updateId = stepUpdateId(request.authority, request.actor.sub, request.idempotencyKey);
    const bodySha256 = canonicalHash(request.body);
    const first = await claimStepRequest(deps.db, {
      authority: request.authority,
      requestedBy: request.actor.sub,
      idempotencyKey: request.idempotencyKey,
      caseId: request.caseId,
      action: request.action,
      bodySha256,
      updateId,
    });
    if (first.caseId !== request.caseId || first.action !== request.action || first.bodySha256 !== bodySha256) {
      throw new IdempotencyConflict(request.idempotencyKey);
    }
  }
  const handle = deps.client.workflow.getHandle(request.caseId);
  const args = [{ ...request.body, actor: request.actor } as ActionInputs[ActionName]] as const;
  // One round trip: the server holds the call until the update completes (or the wait ends), as a raw
  // executeUpdate does; accepting first and then asking for the result took two.
  return bounded(deps, updateId, () => handle.executeUpdate(actionUpdate(request.action), { args: [...args], updateId }));
}

/**
 * Whether this caller sent this very step to this case before, under this Idempotency-Key. On a closed
 * case such a retry still answers as its first try did (Temporal keeps the outcome of an update after
 * the workflow completes), where any new step is refused.
 */
export async function isRetryOfStep(db: Queryable, caller: { authority: string; sub: string }, idempotencyKey: string | undefined, caseId: string, action: ActionName): Promise<boolean> {
  if (!idempotencyKey) return false;
  const first = await findStepRequest(db, { authority: caller.authority, requestedBy: caller.sub }, idempotencyKey);
  return first?.caseId === caseId && first.action === action;
}

/** The outcome of a step taken earlier, asked for again by its update id. */
export function stepOutcome(deps: StepDeps, caseId: string, updateId: string): Promise<StepOutcome> {
  return bounded(deps, updateId, () => deps.client.workflow.getHandle(caseId).getUpdateHandle<StepResult>(updateId).result());
}

/** Waits at most `waitMs`; a step not finished by then is pending, not failed. Refusals pass through. */
async function bounded(deps: StepDeps, updateId: string, work: () => Promise<StepResult>): Promise<StepOutcome> {
  try {
    const result = await deps.client.connection.withDeadline(Date.now() + deps.waitMs, work);
    return { status: 'done', result, updateId };
  } catch (err) {
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return { status: 'pending', updateId };
    throw err;
  }
}
