/** Reading a case as a caller may see it: another authority's case is indistinguishable from none. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { caseStateQuery, type CaseState } from '../domain/case/contract';
import type { Queryable } from '../store/db';
import { findDossier } from '../store/dossiers';
import type { User } from './auth';
import { samePerson } from '../domain/case/persons';
import { Problem, problems } from './problem';

/** How long a read waits for the case to answer when no wait is configured. */
const QUERY_WAIT_MS = 10_000;

/**
 * A running case answers from its workflow; a closed one whose history
 * Temporal has already removed answers from its dossier in the archive.
 */
export async function loadCase(deps: { client: Client; db: Queryable; stepWaitMs?: number | undefined }, id: string, user: User): Promise<CaseState> {
  let state: CaseState | undefined;
  try {
    // Bounded: with no worker to answer, the caller gets a 503 with Retry-After, not a hang.
    const deadline = Date.now() + (deps.stepWaitMs ?? QUERY_WAIT_MS);
    state = await deps.client.connection.withDeadline(deadline, () => deps.client.workflow.getHandle(id).query(caseStateQuery));
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    state = await findDossier(deps.db, id);
    if (!state) throw problems.notFound(`case ${id}`);
  }
  if (state.authority !== user.authority) throw problems.notFound(`case ${id}`);
  return state;
}

/** Someone recused (回避) from the case: by account where the recusal names one, by normalised name otherwise. */
export function recusedFrom(state: CaseState, user: User): boolean {
  return state.recusals.some((r) => samePerson(r.person, user));
}

/** The subject of a case, or someone recused from it, takes no step on it. */
export function excludedFrom(state: CaseState, user: User): boolean {
  return state.subject.userId === user.sub || recusedFrom(state, user);
}

/** What a recused user sees of a case: that it exists and where it stands, not the investigation file. */
export function redacted(state: CaseState) {
  return {
    caseId: state.caseId,
    jurisdiction: state.jurisdiction,
    authority: state.authority,
    stage: state.stage,
    closed: state.closed,
    ...(state.outcome ? { outcome: state.outcome } : {}),
    availableActions: [],
    redacted: { reason: 'recused', detail: '您已登记回避本案，不得查阅案卷材料' },
  };
}

export const recusedProblem = (id: string) =>
  new Problem({
    status: 403,
    code: 'recused',
    title: 'Recused',
    detail: { zh: `您已登记回避案件 ${id}，不得查阅其案卷材料`, en: `You are recused from case ${id} and may not read its file` },
  });
