/**
 * What an activity's failure means for the case. A fault that passes (the
 * archive database restarting, a refused connection, an SMTP server down, a
 * notice not yet delivered) is retried by Temporal with backoff for as long
 * as it lasts. Anything else (a programming error, a constraint the data
 * breaks, a document that cannot be rendered) would fail the same way on
 * every retry: it becomes a non-retryable ApplicationFailure with a stable
 * type, which the case hands to a person (workflows/engine/effects.ts)
 * instead of spinning silently.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { failureType, isTransient } from '../services/faults';

/** Turns a failure that will not pass into a non-retryable ApplicationFailure; leaves the rest as they are. */
export function classifyActivityFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure || isTransient(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.create({ type: failureType(err), message, nonRetryable: true, cause: err instanceof Error ? err : undefined });
}

export const classifyFailures = (): ActivityInboundCallsInterceptor => ({
  async execute(input, next) {
    try {
      return await next(input);
    } catch (err) {
      throw classifyActivityFailure(err);
    }
  },
});
