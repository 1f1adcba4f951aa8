/**
 * The closed cases a list finds in the archive once Temporal has forgotten
 * them: the dossiers of the caller's authority whose workflow visibility no
 * longer lists, newest first, with the list's filters applied to the dossier
 * as visibility would have applied them to the case. `GET /v1/cases` pages
 * through Temporal's cases first, then through these (api/routes/cases.ts),
 * so a closed case stays listed whatever Temporal's retention.
 */
import type { Client } from '@temporalio/client';
import type { z } from 'zod';
import type { CaseState } from '../domain/case/contract';
import type { MatterIndex } from '../services/cases/search-terms';
import { visibilityString } from '../services/cases/visibility';
import type { Queryable } from '../store/db';
import type { caseListQuery } from './schemas';
import { VISIBILITY_WAIT_MS } from './waits';

export interface ArchiveCursor {
  closedAt: string;
  caseId: string;
}

type Filters = Omit<z.infer<typeof caseListQuery>, 'pageSize' | 'pageToken'>;

/** Whether a list with these filters can find closed cases at all (a closed case has no pending deadline and stage `closed`). */
export function admitsClosedCases(q: Filters): boolean {
  // Who holds a case is the running case's (its Assignees); the archive's list does not filter by it.
  return !q.deadlineBefore && !q.assignee && (!q.stage || q.stage === 'closed');
}

const overdueOf = (state: CaseState) => state.deadlines.some((d) => d.binds === 'authority' && d.status === 'lapsed' && !d.metAt);

/** A list entry of a case read from its dossier, in the shape of the entries read from visibility. */
function entryOf(state: CaseState) {
  return {
    id: state.caseId,
    jurisdiction: state.jurisdiction,
    stage: state.stage,
    outcome: state.outcome ?? null,
    overdue: overdueOf(state),
    needsAttention: false,
    nextDeadline: null,
    matter: state.matter,
    assigned: state.assignment !== undefined,
    mine: false,
    openedAt: state.timeline[0]?.at ?? null,
    /** Listed from the archive: Temporal keeps the case no longer. */
    archived: true,
  };
}

/** A page of the authority's archived cases after `cursor`, and the cursor of the next (null at the end). */
export async function archivedCasesPage(
  deps: { db: Queryable; client: Client; namespace: string; matterIndex: MatterIndex },
  authority: string,
  q: Filters,
  pageSize: number,
  cursor: ArchiveCursor | null,
): Promise<{ cases: (ReturnType<typeof entryOf> & { state: CaseState })[]; next: ArchiveCursor | null }> {
  const wanted = q.q ? deps.matterIndex.query(authority, q.q) : [];
  const cases: (ReturnType<typeof entryOf> & { state: CaseState })[] = [];
  if (pageSize <= 0) return { cases, next: cursor };
  let after = cursor;
  // Batches of candidates, until the page is full or the dossiers end; bounded, so one request reads at most a few hundred.
  for (let batch = 0; batch < 5 && cases.length < pageSize; batch += 1) {
    const rows = await deps.db.query<{ case_id: string; closed_at: Date | string; state: CaseState }>(
      `select case_id, closed_at, state from dossiers
        where authority = $1 and ($2::text is null or jurisdiction = $2) and ($3::text is null or outcome = $3)
          and ($4::timestamptz is null or (closed_at, case_id) < ($4::timestamptz, $5::text))
        order by closed_at desc, case_id desc limit $6`,
      [authority, q.jurisdiction ?? null, q.outcome ?? null, after?.closedAt ?? null, after?.caseId ?? '', pageSize * 2],
    );
    if (rows.length === 0) return { cases, next: null };
    // Those Temporal still lists were listed with its cases.
    const ids = rows.map((r) => r.case_id);
    const listed = await deps.client.connection.withDeadline(Date.now() + VISIBILITY_WAIT_MS, () =>
      deps.client.workflowService.listWorkflowExecutions({
        namespace: deps.namespace,
        query: `WorkflowType = ${visibilityString('exemptionReview')} AND WorkflowId IN (${ids.map((id) => visibilityString(id)).join(', ')})`,
        pageSize: ids.length,
      }),
    );
    const inTemporal = new Set((listed.executions ?? []).map((e) => e.execution?.workflowId));
    for (const row of rows) {
      after = { closedAt: new Date(row.closed_at).toISOString(), caseId: row.case_id };
      if (inTemporal.has(row.case_id)) continue;
      const state = row.state;
      if (q.stage && state.stage !== q.stage) continue;
      if (q.overdue !== undefined && overdueOf(state) !== q.overdue) continue;
      if (wanted.length > 0) {
        const terms = new Set(deps.matterIndex.terms(authority, state.matter));
        if (!wanted.every((t) => terms.has(t))) continue;
      }
      cases.push({ ...entryOf(state), state });
      if (cases.length === pageSize) return { cases, next: after };
    }
    if (rows.length < pageSize * 2) return { cases, next: null };
  }
  return { cases, next: after };
}
