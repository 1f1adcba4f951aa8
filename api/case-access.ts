/** Reading a case as a caller may see it: another authority's case is indistinguishable from none. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { caseStateQuery, type CaseState } from '../domain/case/contract';
import type { Queryable } from '../store/db';
import { findCaseView, recusalsOfCases } from '../store/case-views';
import { findDossier } from '../store/dossiers';
import type { User } from './auth';
import { partyOfAccount } from '../domain/case/people';
import { samePerson } from '../domain/case/persons';
import { Problem, problems } from './problem';

/** How long a read waits for the case to answer when no wait is configured. */
const QUERY_WAIT_MS = 10_000;

/** Where a read came from, and as of when: the caller can tell how fresh the state it sees is. */
export interface Freshness {
  /** caseView: the case's own view in the archive (written with each change); workflow: asked of the running case; dossier: the closed case's file. */
  source: 'caseView' | 'workflow' | 'dossier';
  /** The state's version (caseView), which a step's answer names. */
  version?: number;
  /** When the state was written (caseView, dossier) or asked (workflow). */
  asOf: string;
}

/**
 * A case as the caller may see it, and how fresh it is: from the case's view in the archive, which
 * every case started since the view existed keeps current in the workflow task of each change (no
 * worker needed to read or authorise); from the running case itself where no view is that new (cases
 * started before, or `atLeast` a version the view has not reached); from its dossier once Temporal
 * has removed a closed case's history.
 */
export async function readCase(
  deps: { client: Client; db: Queryable; stepWaitMs?: number | undefined },
  id: string,
  user: User,
  atLeast = 0,
): Promise<{ state: CaseState; freshness: Freshness }> {
  const view = await findCaseView(deps.db, id);
  let read: { state: CaseState; freshness: Freshness } | undefined =
    view && view.version >= Math.max(atLeast, 1) ? { state: view.state, freshness: { source: 'caseView', version: view.version, asOf: view.savedAt } } : undefined;
  if (!read) {
    try {
      // Bounded: with no worker to answer, the caller gets a 503 with Retry-After, not a hang.
      const deadline = Date.now() + (deps.stepWaitMs ?? QUERY_WAIT_MS);
      const state = await deps.client.connection.withDeadline(deadline, () => deps.client.workflow.getHandle(id).query(caseStateQuery));
      read = { state, freshness: { source: 'workflow', asOf: new Date().toISOString() } };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) {
        // The worker is away: the view, if any, is the freshest answer there is.
        if (view) read = { state: view.state, freshness: { source: 'caseView', version: view.version, asOf: view.savedAt } };
        else throw err;
      } else {
        const dossier = await findDossier(deps.db, id);
        if (!dossier) throw problems.notFound(`case ${id}`);
        read = { state: dossier, freshness: { source: 'dossier', asOf: dossier.timeline.at(-1)?.at ?? new Date().toISOString() } };
      }
    }
  }
  if (read.state.authority !== user.authority) throw problems.notFound(`case ${id}`);
  return read;
}

/** A case as the caller may see it (readCase, without the freshness). */
export async function loadCase(deps: { client: Client; db: Queryable; stepWaitMs?: number | undefined }, id: string, user: User): Promise<CaseState> {
  return (await readCase(deps, id, user)).state;
}

/**
 * A case whose file the caller may read: its own authority's (another's is not found), and not one it
 * is recused from (403). The route decides which roles may ask; the codec endpoint asks this of every
 * payload it decodes.
 */
export async function readableCase(deps: { client: Client; db: Queryable; stepWaitMs?: number | undefined }, id: string, user: User): Promise<CaseState> {
  const state = await loadCase(deps, id, user);
  if (recusedFrom(state, user)) throw recusedProblem(id);
  return state;
}

/** Someone recused (回避) from the case: by account where the recusal names one, by normalised name otherwise. */
export function recusedFrom(state: CaseState, user: User): boolean {
  return state.recusals.some((r) => samePerson(r.person, user));
}

/**
 * Which of these cases (of a list's page) the caller is recused from: by their views, in one query;
 * a case without a view (opened before the read model) by asking it, and counted as recused when it
 * does not answer, so a list never shows a recused person a matter it could not check.
 */
export async function recusedAmong(deps: { client: Client; db: Queryable }, caseIds: string[], user: User): Promise<Set<string>> {
  const recusals = await recusalsOfCases(deps.db, caseIds);
  const recused = new Set(caseIds.filter((id) => recusals.get(id)?.some((r) => samePerson(r.person, user))));
  await Promise.all(
    caseIds
      .filter((id) => !recusals.has(id))
      .map(async (id) => {
        const state = await deps.client.connection
          .withDeadline(Date.now() + 5_000, () => deps.client.workflow.getHandle(id).query(caseStateQuery))
          .catch(() => undefined);
        if (!state || recusedFrom(state, user)) recused.add(id);
      }),
  );
  return recused;
}

/** A party to a case (the subject, its organisation's account), or someone recused from it, takes no step on it. */
export function excludedFrom(state: CaseState, user: User): boolean {
  return partyOfAccount(state, user.sub) !== undefined || recusedFrom(state, user);
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
