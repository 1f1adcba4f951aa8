import type { Client } from '@temporalio/client';
import { calendarUpdatedSignal, type CalendarUpdatedSignal } from '../domain/case/contract';

/** Activities that act on other cases through Temporal itself. */
export function caseFleetActivities(client: Client) {
  return {
    /**
     * Tells every running case that still holds a provisional deadline that a
     * year's schedule is now loaded. Signals are idempotent in effect: a case
     * recomputes and finds nothing provisional left in that year.
     */
    async signalCasesWithProvisionalDeadlines(update: CalendarUpdatedSignal): Promise<{ signalled: string[] }> {
      const signalled: string[] = [];
      const query = `ProvisionalDeadline = true AND ExecutionStatus = "Running"`;
      for await (const execution of client.workflow.list({ query })) {
        await client.workflow.getHandle(execution.workflowId).signal(calendarUpdatedSignal, update);
        signalled.push(execution.workflowId);
      }
      return { signalled };
    },
  };
}
