/**
 * The dossier sweep: a case closed without writing its dossier (terminated or
 * timed out by an operator, failed, or closed before dossiers existed) gets
 * one written from its last state, so the API still answers for it once
 * Temporal's retention has removed the history.
 */
import { Context, log } from '@temporalio/activity';
import { type Client } from '@temporalio/client';
import { decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow';
import { caseStateQuery, type CaseInput, type CaseState } from '../domain/case/contract';
import { openingState } from '../domain/case/opening';
import type { Db } from '../store/db';
import type { Authorities } from '../config/authorities';
import type { PayloadKeyring } from '../services/codec/keys';
import type { ArchivalRenderer } from '../services/documents/render-pdf';
import { findCaseView, saveCaseView } from '../store/case-views';
import { dossiersMissing, dossiersWithoutBoundFile, readWatermark, recordBoundFileInDossier, saveDossier, writeWatermark } from '../store/dossiers';
import { visibilityString } from '../services/cases/visibility';
import { bindCase } from './case-file';

/** The watermark of the dossier sweep: the close time of the last case it recorded. */
export const DOSSIER_SWEEP_WATERMARK = 'dossier-sweep';
/**
 * How far before the watermark each sweep looks again: visibility lists a closed case a moment after it
 * closed, so a case that closed just before the last sweep's newest may not have been listed yet.
 * Cases that have their dossier already are skipped, so looking again costs one query a page.
 */
export const WATERMARK_OVERLAP_MS = 60 * 60_000;
/** Dossiers without a bound file the sweep binds in one run, oldest first (each takes seconds). */
const BINDINGS_PER_SWEEP = 20;

/** How the run ended, in the words of the timeline. */
const ENDINGS: Record<string, string> = {
  TERMINATED: '工作流被强制终止',
  TIMED_OUT: '工作流超时',
  FAILED: '工作流失败',
  CANCELLED: '工作流被取消',
  COMPLETED: '程序终结（结案时尚未存档卷宗）',
};

export interface DossierSweepDeps {
  /** What binding the files of the cases it records needs; without keys (a test's worker) nothing is bound. */
  keyring?: PayloadKeyring | undefined;
  renderer: ArchivalRenderer;
  authorities: Authorities;
  /** How long the closed run's state is asked for before the read model answers instead (default 30 s). */
  queryWaitMs?: number;
}

export function dossierActivities(client: Client, db: Db, deps?: DossierSweepDeps) {
  /**
   * The case as it last stood: asked of the closed run (a worker replays it); else its view in the read
   * model, which every change of the case wrote, timeline included; else, for a case opened before the
   * read model, its opening input.
   */
  async function lastState(caseId: string): Promise<CaseState> {
    const handle = client.workflow.getHandle(caseId);
    try {
      return await client.connection.withDeadline(Date.now() + (deps?.queryWaitMs ?? 30_000), () => handle.query(caseStateQuery));
    } catch {
      const view = await findCaseView(db, caseId);
      if (view) return view.state;
      const first = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      // The raw history holds the input as stored: encrypted, so through the client's codec first.
      const input = (await decodeOptionalSinglePayload(client.options.loadedDataConverter, first)) as CaseInput | undefined;
      if (!input) throw new Error(`case ${caseId}: neither its state nor its input can be read`);
      return { ...openingState(input), timeline: [{ at: input.openedAt, event: 'caseOpened', actor: input.openedBy, detail: `事由：${input.matter}` }] };
    }
  }

  /**
   * The files of closed cases whose dossier has none (the sweep wrote the dossier, the case's own
   * binding failed, or it closed before files were bound), bound now and recorded in the dossier. A
   * case whose file cannot be bound is logged and tried again by the next sweep.
   */
  async function bindUnbound(beat: () => void): Promise<string[]> {
    if (!deps?.keyring) return [];
    const bound: string[] = [];
    for (const state of await dossiersWithoutBoundFile(db, BINDINGS_PER_SWEEP)) {
      beat();
      try {
        await bindCase(db, { keyring: deps.keyring, renderer: deps.renderer, authorities: deps.authorities }, state);
        await recordBoundFileInDossier(db, state.caseId);
        bound.push(state.caseId);
      } catch (err) {
        try {
          log.warn('case file not bound by the sweep; the next sweep tries again', { caseId: state.caseId, error: (err as Error).message });
        } catch {
          // Outside an activity there is no activity logger.
        }
      }
    }
    return bound;
  }

  return {
    /**
     * Writes the missing dossiers of cases closed since `closedSince` (all closed cases when unset),
     * page by page; the page token is the heartbeat, so a retried attempt resumes.
     */
    async sweepDossiers(request: { closedSince?: string | undefined; all?: boolean } = {}): Promise<{ written: string[]; bound: string[] }> {
      const context = Context.current();
      const written: string[] = [];
      const resumed = context.info.heartbeatDetails as { pageToken?: string; since?: string | null; newest?: string } | undefined;
      let pageToken = resumed?.pageToken;
      // From the watermark (the close time of the newest case recorded, less the overlap), never a fixed
      // window: a sweep that did not run for days starts where the last one stopped. A first sweep, or
      // `all`, looks at every closed case; `closedSince` (a sweep started before the watermark existed) is
      // taken only where there is no watermark yet.
      const watermark = request.all ? undefined : await readWatermark(db, DOSSIER_SWEEP_WATERMARK);
      const sinceDate = resumed?.since !== undefined ? resumed.since : watermark ? new Date(Date.parse(watermark) - WATERMARK_OVERLAP_MS).toISOString() : request.all ? null : (request.closedSince ?? null);
      const since = sinceDate ? ` AND CloseTime >= ${visibilityString(new Date(sinceDate))}` : '';
      let newest = resumed?.newest ?? watermark ?? '';
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
          const closedAt = execution.closeTime?.seconds ? new Date(Number(execution.closeTime.seconds) * 1000).toISOString() : new Date().toISOString();
          if (closedAt > newest) newest = closedAt;
          if (!missing.has(caseId)) continue;
          const status = describeStatus(execution.status);
          const state = await lastState(caseId);
          const closed = reconciled(state, status, closedAt);
          await saveDossier(db, closed, closedAt);
          // The case's view follows: a terminated case could not write its last change itself.
          const view = await findCaseView(db, caseId);
          if (view) await saveCaseView(db, closed, view.version + 1);
          written.push(caseId);
          context.heartbeat({ pageToken, since: sinceDate, newest });
        }
        pageToken = page.nextPageToken && page.nextPageToken.length > 0 ? Buffer.from(page.nextPageToken).toString('base64') : undefined;
        context.heartbeat({ pageToken, since: sinceDate, newest });
      } while (pageToken);
      // Every closed case up to the newest listed has its dossier now.
      if (newest) await writeWatermark(db, DOSSIER_SWEEP_WATERMARK, newest);
      return { written, bound: await bindUnbound(() => context.heartbeat({ since: sinceDate, newest })) };
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
