/**
 * What the API checks before a case is assigned (assignCase) or claimed
 * (claimCase), and what it adds to the step: each assignee must be an officer
 * of the case's authority, as the staff directory knows it from the tokens it
 * verified (store/staff-directory.ts), and none may be recused from the case or
 * a party to it; otherwise 409 naming why. The step then carries each
 * assignee's name as the directory has it and the keyed hash the case list
 * filters on; the workflow checks recusal again (workflows/engine/assignment.ts).
 */
import { ROLE_NAMES } from '../domain/labels/zh';
import type { CaseState } from '../domain/case/contract';
import type { Assignee } from '../domain/case/people';
import { partyOfAccount } from '../domain/case/people';
import { samePerson } from '../domain/case/persons';
import type { MatterIndex } from '../services/cases/search-terms';
import type { Queryable } from '../store/db';
import { authoritiesOfStaff, findStaffMember } from '../store/staff-directory';
import type { User } from './auth';
import { Problem } from './problem';

const refused = (code: string, field: string, zh: string, en: string) =>
  new Problem({ status: 409, code, title: 'Cannot be assigned', detail: { zh, en }, errors: [{ field, message: en }] });

/** An officer of the case's authority, not recused from it and no party to it, as the step names it. */
async function officerOf(deps: { db: Queryable; matterIndex: MatterIndex }, state: CaseState, sub: string, field: string): Promise<Assignee> {
  const member = await findStaffMember(deps.db, state.authority, sub);
  if (!member) {
    const elsewhere = await authoritiesOfStaff(deps.db, sub);
    if (elsewhere.length > 0) {
      throw refused('assignee_other_authority', field, `账户 ${sub} 属于其他机关（${elsewhere.join('、')}），不能承办本机关的案件`, `Account ${sub} is staff of another authority (${elsewhere.join(', ')}), not of ${state.authority}`);
    }
    throw refused('assignee_not_officer', field, `账户 ${sub} 不是本机关的办案人员（从未以办案人员身份登录本系统）`, `Account ${sub} is not known as an officer of ${state.authority} (it has never signed in as one)`);
  }
  if (!member.roles.includes('officer')) {
    throw refused('assignee_not_officer', field, `${member.name}（${sub}）不是办案人员（角色：${member.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}），不能承办案件`, `${sub} is not an officer (roles: ${member.roles.join(', ')}) and cannot hold a case`);
  }
  if (partyOfAccount(state, sub)) {
    throw refused('assignee_is_party', field, `${member.name}（${sub}）是本案当事人，不能承办本案`, `${sub} is a party to this case and cannot hold it`);
  }
  const recusal = state.recusals.find((r) => samePerson(r.person, { sub, name: member.name }));
  if (recusal) {
    throw refused('assignee_recused', field, `${member.name}（${sub}）已登记回避本案（${recusal.reason}），不能承办本案`, `${sub} is recused from this case (${recusal.reason}) and can never be assigned it`);
  }
  return { sub, name: member.name, key: deps.matterIndex.account(state.authority, sub) };
}

/** The workflow's input of assignCase or claimCase, from what the caller sent; throws the 409 of a bad assignee. */
export async function assignmentStep(
  deps: { db: Queryable; matterIndex: MatterIndex },
  state: CaseState,
  name: 'assignCase' | 'claimCase',
  body: Record<string, unknown>,
  user: User,
): Promise<Record<string, unknown>> {
  if (name === 'claimCase') return { ...body, key: deps.matterIndex.account(user.authority, user.sub) };
  const { responsible, team = [], reason } = body as { responsible: string; team?: string[]; reason: string };
  const seen = new Set<string>([responsible]);
  const members: Assignee[] = [];
  for (const [i, sub] of team.entries()) {
    if (seen.has(sub)) continue; // the same account twice, or the 承办人 again, is one person
    seen.add(sub);
    members.push(await officerOf(deps, state, sub, `body.team.${i}`));
  }
  return { responsible: await officerOf(deps, state, responsible, 'body.responsible'), team: members, reason };
}
