/**
 * Taking a step on a case: one Workflow Update, applied once however often
 * the caller retries it, and never waited on for ever.
 *
 * With an Idempotency-Key the update id comes from the caller and the key, so
 * a retry after a timeout reaches the same update and Temporal answers it with
 * the first outcome. The caller waits a bounded time; a step the case has not
 * finished by then (the worker is down, the case is busy) answers `pending`
 * with the update id, whose outcome can be asked for again.
 *
 * A step the case did not take, and did not refuse, is not the officer's
 * mistake: the case was handing over to a new run (it says so, and the step is
 * sent again, to the new run, within the wait), its workflow task failed or
 * timed out, or the server's limit of updates in flight was reached. Those end
 * in `CaseBusy`, which the API answers 503 with Retry-After; a retry under the
 * same Idempotency-Key is then applied once.
 */
import { randomUUID } from 'node:crypto';
import { isGrpcServiceError, ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { actionUpdate, RefusalType, type ActionInputs, type ActionName, type Actor, type StepResult } from '../../domain/case/contract';
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
  const outcome = await bounded(deps, updateId, () => handle.executeUpdate(actionUpdate(request.action), { args: [...args], updateId }));
  // A step still under way when the wait ends is pending only if the server took it in. One it never
  // admitted (the client retries RESOURCE_EXHAUSTED, the limit of steps in flight, until the wait ends)
  // was not taken: the caller sends it again, under its key, after Retry-After.
  if (outcome.status === 'pending' && !(await admitted(deps, request.caseId, updateId))) throw new CaseBusy('updateLimit', 2);
  return outcome;
}

/** Whether the server holds this update (admitted, accepted or done); true where it cannot tell. */
async function admitted(deps: StepDeps, caseId: string, updateId: string): Promise<boolean> {
  try {
    await deps.client.connection.withDeadline(Date.now() + 2_000, () =>
      deps.client.workflowService.pollWorkflowExecutionUpdate({
        namespace: deps.client.options.namespace,
        updateRef: { workflowExecution: { workflowId: caseId }, updateId },
        identity: deps.client.options.identity,
        waitPolicy: { lifecycleStage: temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED },
      }),
    );
    return true;
  } catch (err) {
    return grpcCode(err) !== 5; // NOT_FOUND: the server has no such update
  }
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

/** Why a case did not take a step it did not refuse; the caller tries again after `retryAfterSeconds`. */
export class CaseBusy extends Error {
  override name = 'CaseBusy';
  constructor(
    readonly reason: 'handingOver' | 'workflowTask' | 'updateLimit' | 'unavailable',
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(`the case did not take the step now (${reason})`, options);
  }
}

/** The step was refused by the case, with one of the contract's stable types (its reason and article). */
export function isRefusal(err: unknown): err is WorkflowUpdateFailedError {
  const type = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause.type : undefined;
  return Boolean(type && type !== RefusalType.handingOver && (Object.values(RefusalType) as string[]).includes(type));
}

/** gRPC statuses of a step the server did not let through now: FAILED_PRECONDITION (a workflow task failing), RESOURCE_EXHAUSTED (updates in flight), ABORTED. */
const NOT_NOW = new Map<number, CaseBusy['reason']>([
  [9, 'workflowTask'],
  [8, 'updateLimit'],
  [10, 'workflowTask'],
  [14, 'unavailable'],
]);

/** Pause before sending a step again to a case handing over: its new run usually takes it within a workflow task. */
const HAND_OVER_PAUSE_MS = 200;

/**
 * Waits at most `waitMs`; a step not finished by then is pending, not failed. Refusals pass through;
 * a case handing over is sent the step again until the wait ends; anything else that kept the step
 * from the case is CaseBusy.
 */
async function bounded(deps: StepDeps, updateId: string, work: () => Promise<StepResult>): Promise<StepOutcome> {
  const deadline = Date.now() + deps.waitMs;
  for (;;) {
    try {
      const result = await deps.client.connection.withDeadline(deadline, work);
      return { status: 'done', result, updateId };
    } catch (err) {
      if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return { status: 'pending', updateId };
      if (isRefusal(err)) throw err;
      const handingOver = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === RefusalType.handingOver;
      if (handingOver && Date.now() + HAND_OVER_PAUSE_MS < deadline) {
        await new Promise((resolve) => setTimeout(resolve, HAND_OVER_PAUSE_MS));
        continue;
      }
      if (handingOver) throw new CaseBusy('handingOver', 1, { cause: err });
      const code = grpcCode(err);
      const reason = code === undefined ? undefined : NOT_NOW.get(code);
      if (reason) throw new CaseBusy(reason, reason === 'updateLimit' ? 2 : 5, { cause: err });
      // A failure of the update that is not one of the case's refusals (the server failed it, e.g. its
      // run ended while it ran): the step was not taken, and a retry under its key finds out.
      if (err instanceof WorkflowUpdateFailedError && !/already completed/i.test(String(err.cause?.message))) throw new CaseBusy('workflowTask', 5, { cause: err });
      throw err;
    }
  }
}

/** The gRPC status of a Temporal client error, where it has one. */
function grpcCode(err: unknown): number | undefined {
  for (let e = err as { cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth += 1) {
    if (isGrpcServiceError(e)) return e.code;
    if (e instanceof ServiceError && isGrpcServiceError(e.cause)) return e.cause.code;
  }
  return undefined;
}
