/**
 * What an activity's failure means for the case. A fault that passes (the
 * archive database restarting, a refused connection, an SMTP server down, a
 * notice not yet delivered) is retried by Temporal with backoff for as long
 * as it lasts. A defect in the code (a TypeError, a ReferenceError, a failed
 * assertion: a bad deploy) is retried with backoff too, and raises one
 * operations alarm instead of flagging every case it meets (see DefectAlarm).
 * Anything else (a constraint the data breaks, a document that cannot be
 * rendered) would fail the same way on every retry: it becomes a
 * non-retryable ApplicationFailure with a stable type, which the case hands
 * to a person (workflows/engine/effects.ts) instead of spinning silently.
 * Whatever still fails when an activity's schedule-to-close runs out is
 * handed to a person by the case.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { failureType, isCodeDefect, isTransient } from '../services/faults';

/** The ApplicationFailure type of a code defect, retried; its message names the error. */
export const CODE_DEFECT = 'CodeDefect';

/**
 * Operations hear of a code defect once: a counter (`rongcuo_code_defects`, by activity type and error,
 * on the worker's metrics endpoint, WORKER_METRICS_ADDRESS) and one error log line per distinct defect
 * per worker process, with the activity type and the first case it met (ids only, no names). Cases are
 * not flagged and no supervisor is told: the defect is no case's, and it is fixed by a deploy.
 */
export class DefectAlarm {
  private readonly seen = new Map<string, number>();

  /** How often each defect was met, by `activityType: Error: message` (tests and operators read this). */
  counts(): ReadonlyMap<string, number> {
    return this.seen;
  }

  raise(err: Error): void {
    const context = Context.current();
    const { activityType, workflowExecution } = context.info;
    const key = `${activityType}: ${err.name}: ${err.message}`;
    const times = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, times);
    context.metricMeter.createCounter('rongcuo_code_defects', 'defects', 'Activity attempts that failed on a defect in the code (retried)').add(1, { activity_type: activityType, error: err.name });
    if (times === 1) {
      context.log.error('code defect in an activity: retried with backoff, no case is flagged; fix and deploy', {
        activityType,
        error: `${err.name}: ${err.message}`,
        firstCase: workflowExecution?.workflowId,
      });
    }
  }
}

/** Turns a failure that will not pass into a non-retryable ApplicationFailure, a code defect into a retried one; leaves the rest as they are. */
export function classifyActivityFailure(err: unknown, alarm?: DefectAlarm): unknown {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure || isTransient(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (isCodeDefect(err)) {
    alarm?.raise(err as Error);
    return ApplicationFailure.create({ type: CODE_DEFECT, message: `${(err as Error).name}: ${message}`, nonRetryable: false, cause: err as Error });
  }
  return ApplicationFailure.create({ type: failureType(err), message, nonRetryable: true, cause: err instanceof Error ? err : undefined });
}

export const classifyFailures = (alarm?: DefectAlarm): ActivityInboundCallsInterceptor => ({
  async execute(input, next) {
    try {
      return await next(input);
    } catch (err) {
      throw classifyActivityFailure(err, alarm);
    }
  },
});
