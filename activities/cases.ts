import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { calendarUpdatedSignal, type CalendarUpdatedSignal } from '../domain/case/contract';
import type { Db } from '../store/db';
import { casesCountedProvisionally, forgetProvisionalCount } from '../store/provisional-counts';

/** How many cases one page of the fan-out signals before it records its progress. */
const PAGE = 100;

/** Activities that act on other cases through Temporal itself. */
export function caseFleetActivities(client: Client, db: Db) {
  /** Tells one case; a case that no longer runs has nothing to recount. */
  async function tell(caseId: string, update: CalendarUpdatedSignal): Promise<boolean> {
    try {
      await client.workflow.getHandle(caseId).signal(calendarUpdatedSignal, update);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || /already completed/i.test((err as Error).message)) return false;
      throw err;
    }
  }

  return {
    /**
     * Tells every case that counted a deadline provisionally for the year that its schedule is now
     * loaded: page by page from the archive's record of provisional counts, each case forgotten once
     * told, heartbeating its progress, so a retry after a crash goes on where it stopped. Signals are
     * idempotent in effect: a case recounts and finds nothing provisional left in that year.
     */
    async signalCasesCountedProvisionally(update: CalendarUpdatedSignal): Promise<{ signalled: number; closed: number }> {
      const context = Context.current();
      const progress = (context.info.heartbeatDetails as { signalled: number; closed: number } | undefined) ?? { signalled: 0, closed: 0 };
      for (;;) {
        const page = await casesCountedProvisionally(db, update.year, PAGE);
        if (page.length === 0) return progress;
        for (const caseId of page) {
          if (await tell(caseId, update)) progress.signalled += 1;
          else progress.closed += 1;
          await forgetProvisionalCount(db, caseId, update.year);
        }
        context.heartbeat(progress);
      }
    },

    /**
     * Cases that counted before provisional counts were recorded are found by their search
     * attribute instead, page by page; the page token is the heartbeat, so a retry resumes.
     */
    async signalCasesWithProvisionalDeadlines(update: CalendarUpdatedSignal): Promise<{ signalled: number }> {
      const context = Context.current();
      const resumed = context.info.heartbeatDetails as { pageToken?: string; signalled: number } | undefined;
      let pageToken = resumed?.pageToken ? Buffer.from(resumed.pageToken, 'base64') : undefined;
      let signalled = resumed?.signalled ?? 0;
      do {
        const page = await client.workflowService.listWorkflowExecutions({
          namespace: client.options.namespace,
          query: `WorkflowType = "exemptionReview" AND ProvisionalDeadline = true AND ExecutionStatus = "Running"`,
          pageSize: PAGE,
          nextPageToken: pageToken ?? null,
        });
        for (const execution of page.executions ?? []) {
          if (execution.execution?.workflowId && (await tell(execution.execution.workflowId, update))) signalled += 1;
        }
        pageToken = page.nextPageToken && page.nextPageToken.length > 0 ? Buffer.from(page.nextPageToken) : undefined;
        context.heartbeat({ pageToken: pageToken?.toString('base64'), signalled });
      } while (pageToken);
      return { signalled };
    },
  };
}
