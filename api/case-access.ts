/** Reading a case as a caller may see it: another authority's case is indistinguishable from none. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { caseStateQuery, type CaseState } from '../domain/case/contract';
import type { User } from './auth';
import { problems } from './problem';

export async function loadCase(client: Client, id: string, user: User): Promise<CaseState> {
  let state: CaseState;
  try {
    state = await client.workflow.getHandle(id).query(caseStateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw problems.notFound(`case ${id}`);
    throw err;
  }
  if (state.authority !== user.authority) throw problems.notFound(`case ${id}`);
  return state;
}

/** The subject of a case, or someone recused from it, takes no step on it. */
export function excludedFrom(state: CaseState, user: User): boolean {
  return state.subject.userId === user.sub || state.recusals.some((r) => r.person.sub === user.sub);
}
