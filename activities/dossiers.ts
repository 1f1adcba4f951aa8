/**
 * The dossier sweep: a case closed without writing its dossier (terminated or
 * timed out by an operator, failed, or closed before dossiers existed) gets
 * one written from its last state, so the API still answers for it once
 * Temporal's retention has removed the history.
 */
import { Context } from '@temporalio/activity';
import { type Client } from '@temporalio/client';
import { decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow';
import { caseStateQuery, type CaseInput, type CaseState } from '../domain/case/contract';
import { openingState } from '../domain/case/opening';
import type { Db } from '../store/db';
import { findCaseView, saveCaseView } from '../store/case-views';
import { dossiersMissing, saveDossier } from '../store/dossiers';
import { visibilityString } from '../services/cases/visibility';

/** How the run ended, in the words of the timeline. */
const ENDINGS: Record<string, string> = {
  TERMINATED: '工作流被强制终止',
  TIMED_OUT: '工作流超时',
  FAILED: '工作流失败',
  CANCELLED: '工作流被取消',
  COMPLETED: '程序终结（结案时尚未存档卷宗）',
};

export function dossierActivities(client: Client, db: Db) {
  /** The case as it last stood: asked of the closed run (a worker replays it), or its opening input. */
  async function lastState(caseId: string): Promise<CaseState> {
    const handle = client.workflow.getHandle(caseId);
    try {
      return await client.connection.withDeadline(Date.now() + 30_000, () => handle.query(caseStateQuery));
    } catch {
      const first = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      // The raw history holds the input as stored: encrypted, so through the client's codec first.
      const input = (await decodeOptionalSinglePayload(client.options.loadedDataConverter, first)) as CaseInput | undefined;
      if (!input) throw new Error(`case ${caseId}: neither its state nor its input can be read`);
      return { ...openingState(input), timeline: [{ at: input.openedAt, event: 'caseOpened', actor: input.openedBy, detail: `事由：${input.matter}` }] };
    }
  }

  return {
    /**
     * Writes the missing dossiers of cases closed since `closedSince` (all closed cases when unset),
     * page by page; the page token is the heartbeat, so a retried attempt resumes.
     */
    async sweepDossiers(request: { closedSince?: string | undefined }): Promise<{ written: string[] }> {
      const context = Context.current();
      const written: string[] = [];
      let pageToken = (context.info.heartbeatDetails as { pageToken?: string } | undefined)?.pageToken;
      const since = request.closedSince ? ` AND CloseTime >= ${visibilityString(new Date(request.closedSince))}` : '';
      do {
        const page = await client.workflowService.listWorkflowExecutions({
          namespace: client.options.namespace,
          // A run that continued as new is not a case that closed: its case runs on.
          query: `WorkflowType = "exemptionReview" AND ExecutionStatus != "Running" AND ExecutionStatus != "ContinuedAsNew"${since}`,
          pageSize: 100,
          nextPageToken: pageToken ? Buffer.from(pageToken, 'base64') : null,
        });
        const closed = (page.executions ?? []).filter((e) => e.execution?.workflowId);
        const missing = new Set(await dossiersMissing(db, closed.map((e) => e.execution!.workflowId!)));
        for (const execution of closed) {
          const caseId = execution.execution!.workflowId!;
          if (!missing.has(caseId)) continue;
          const status = describeStatus(execution.status);
          const state = await lastState(caseId);
          const closedAt = execution.closeTime?.seconds ? new Date(Number(execution.closeTime.seconds) * 1000).toISOString() : new Date().toISOString();
          const closed = reconciled(state, status, closedAt);
          await saveDossier(db, closed, closedAt);
          // The case's view follows: a terminated case could not write its last change itself.
          const view = await findCaseView(db, caseId);
          if (view) await saveCaseView(db, closed, view.version + 1);
          written.push(caseId);
          context.heartbeat({ pageToken });
        }
        pageToken = page.nextPageToken && page.nextPageToken.length > 0 ? Buffer.from(page.nextPageToken).toString('base64') : undefined;
        context.heartbeat({ pageToken });
      } while (pageToken);
      return { written };
    },
  };
}

/** temporal.api.enums.v1.WorkflowExecutionStatus, as the names the timeline uses. */
function describeStatus(status: number | null | undefined): string {
  return ['UNSPECIFIED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'][status ?? 0] ?? 'UNSPECIFIED';
}

/** The last state, closed as the run ended: the dossier says how, and that it was written by the sweep. */
function reconciled(state: CaseState, status: string, closedAt: string): CaseState {
  if (state.closed) return state;
  const outcome = status === 'COMPLETED' ? (state.outcome ?? 'completed') : status.toLowerCase();
  return {
    ...state,
    stage: 'closed',
    closed: true,
    outcome,
    availableActions: [],
    // No deadline runs for a case that has ended.
    deadlines: state.deadlines.map((d) => (d.status === 'pending' ? { ...d, status: 'superseded' } : d)),
    timeline: [...state.timeline, { at: closedAt, event: 'caseClosed', detail: `${outcome}：${ENDINGS[status] ?? status}；卷宗由存档核对补写` }],
  };
}
