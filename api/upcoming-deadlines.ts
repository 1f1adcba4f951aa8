/**
 * The pending deadlines of an authority's running cases between two days: what
 * the console's month view shows and what a personal .ics feed carries. The
 * list comes from Temporal visibility, each case's deadlines from its own
 * state (visibility holds only the next one).
 */
import type { Client } from '@temporalio/client';
import { caseStateQuery, type CaseState, type DeadlineRecord } from '../domain/case/contract';
import { compareDates, type IsoDate } from '../domain/calendar';
import { VISIBILITY_WAIT_MS } from './waits';

export interface UpcomingDeadline {
  caseId: string;
  jurisdiction: string;
  stage: string;
  matter: string;
  key: string;
  label: string;
  binds: DeadlineRecord['binds'];
  deadline: IsoDate;
  provisional: boolean;
  basis: DeadlineRecord['basis'];
  overdue: boolean;
}

/** Enough for a month view of a large authority; more cases than this are listed in the case list, not a calendar. */
export const MAX_CASES = 500;
const QUERY_WAIT_MS = 5_000;

async function runningCases(client: Client, namespace: string, authority: string): Promise<string[]> {
  const ids: string[] = [];
  let nextPageToken: Uint8Array | null = null;
  do {
    const page: Awaited<ReturnType<Client['workflowService']['listWorkflowExecutions']>> = await client.connection.withDeadline(Date.now() + VISIBILITY_WAIT_MS, () =>
      client.workflowService.listWorkflowExecutions({
        namespace,
        query: `WorkflowType = "exemptionReview" AND Authority = "${authority}" AND ExecutionStatus = "Running"`,
        pageSize: 100,
        nextPageToken,
      }),
    );
    for (const e of page.executions ?? []) if (e.execution?.workflowId) ids.push(e.execution.workflowId);
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : null;
  } while (nextPageToken && ids.length < MAX_CASES);
  return ids.slice(0, MAX_CASES);
}

/** Runs `work` over `items`, a few at a time, so a large authority does not flood the frontend. */
async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return out;
}

export async function upcomingDeadlines(
  deps: { client: Client; namespace: string },
  authority: string,
  range: { from: IsoDate; to: IsoDate },
): Promise<UpcomingDeadline[]> {
  const ids = await runningCases(deps.client, deps.namespace, authority);
  const states = await inBatches(ids, 8, (id) =>
    deps.client.connection
      .withDeadline(Date.now() + QUERY_WAIT_MS, () => deps.client.workflow.getHandle(id).query(caseStateQuery))
      // A case that closed meanwhile, or does not answer now, has no deadline to show; the next read shows it again.
      .catch((): CaseState | undefined => undefined),
  );
  const out: UpcomingDeadline[] = [];
  for (const state of states) {
    if (!state || state.closed || state.authority !== authority) continue;
    for (const d of state.deadlines) {
      // An authority's deadline that lapsed unmet is still to be met, now overdue; a party's lapsed window is closed.
      const overdue = d.status === 'lapsed' && d.binds === 'authority' && !d.metAt;
      if (d.status !== 'pending' && !overdue) continue;
      if (compareDates(d.deadline, range.from) < 0 || compareDates(d.deadline, range.to) > 0) continue;
      out.push({
        caseId: state.caseId,
        jurisdiction: state.jurisdiction,
        stage: state.stage,
        matter: state.matter,
        key: d.key,
        label: d.label,
        binds: d.binds,
        deadline: d.deadline,
        provisional: d.provisional,
        basis: d.basis,
        overdue,
      });
    }
  }
  return out.sort((a, b) => compareDates(a.deadline, b.deadline) || a.caseId.localeCompare(b.caseId));
}
