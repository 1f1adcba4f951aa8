/**
 * Whose account may be bound as a case's subject (bindSubjectAccount). The
 * subject is shut out of acting on its case, receives its notices and
 * acknowledges service, so binding a member of staff would shut a colleague
 * out and hand it the case's notices. Refused, 409 naming why:
 *
 * - the case's own staff: the officer who opened it, anyone who took a step
 *   on it, a member of its investigation group;
 * - an account the archive has seen act as staff of the authority (it opened
 *   a case or took a step there, store/staff-accounts.ts).
 *
 * - an account that has signed in with a staff role at the authority (the
 *   staff directory, store/staff-directory.ts).
 *
 * The same holds for the organisation's own account (bindOrganisationAccount):
 * a party's account is never a staff account of the authority. Parties sign
 * in with the party role, which no staff token carries.
 */
import { ROLE_NAMES } from '../domain/labels/zh';
import type { CaseState } from '../domain/case/contract';
import type { Queryable } from '../store/db';
import { findCaseContacts } from '../store/case-contacts';
import { findStaffAccount, recordStaffAccount } from '../store/staff-accounts';
import { findStaffMember } from '../store/staff-directory';
import type { Party } from '../domain/rulebooks/schema';
import { Problem } from './problem';

const refused = (code: string, zh: string, en: string) =>
  new Problem({ status: 409, code, title: 'Account is staff', detail: { zh, en }, errors: [{ field: 'body.userId', message: en }] });

/** Throws the 409 when `userId` is the case's own staff or known staff of its authority. */
export async function refuseStaffAsSubject(db: Queryable, state: CaseState, userId: string): Promise<void> {
  return refuseStaffAsParty(db, state, userId, 'subject');
}

/** The same for either party's account: 409 when `userId` is the case's own staff or staff of its authority. */
export async function refuseStaffAsParty(db: Queryable, state: CaseState, userId: string, party: Party): Promise<void> {
  const bound = party === 'subject' ? state.subject.userId : state.partyAccounts?.subjectOrganisation;
  if (bound === userId) return; // bound already: a repeat changes nothing
  const openedBy = (await findCaseContacts(db, state.caseId))?.responsible.sub ?? state.timeline.find((e) => e.event === 'caseOpened')?.actor?.sub;
  const why: { zh: string; en: string }[] = [];
  if (openedBy === userId) why.push({ zh: '立案办理人', en: 'opened the case' });
  if (state.timeline.some((e) => e.actor?.sub === userId && e.event !== 'caseOpened')) why.push({ zh: '曾办理本案步骤', en: 'took steps on it' });
  if (state.investigationGroup?.members.some((m) => m.sub === userId)) why.push({ zh: '调查组成员', en: 'is a member of its investigation group' });
  if (why.length > 0) {
    throw refused(
      'subject_account_is_case_staff',
      `账户 ${userId} 是本案办案人员（${why.map((w) => w.zh).join('、')}），不得绑定为被调查对象`,
      `Account ${userId} is the case's own staff (${why.map((w) => w.en).join(', ')}) and cannot be bound as its subject`,
    );
  }
  const staff = await findStaffAccount(db, state.authority, userId);
  if (staff) {
    throw refused(
      'subject_account_is_staff',
      `账户 ${userId} 是本机关工作人员（曾以${staff.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}身份办理案件 ${staff.lastCaseId}），不得绑定为被调查对象`,
      `Account ${userId} acts as staff of this authority (as ${staff.roles.join(', ')}, last on ${staff.lastCaseId}) and cannot be bound as a case's subject`,
    );
  }
  const member = await findStaffMember(db, state.authority, userId);
  if (member) {
    throw refused(
      'subject_account_is_staff',
      `账户 ${userId} 是本机关工作人员（曾以${member.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}身份登录），不得绑定为当事人`,
      `Account ${userId} has signed in as staff of this authority (as ${member.roles.join(', ')}) and cannot be bound as a party`,
    );
  }
}

/**
 * Notes that a caller acted as staff (opened a case, took a step). Once per account, roles and
 * process: a step is not slowed by a write that changes nothing.
 */
export function staffRecorder(db: Queryable, limit = 10_000) {
  const known = new Set<string>();
  return async (user: { authority: string; sub: string; roles: string[] }, caseId: string): Promise<void> => {
    const key = `${user.authority}\u0000${user.sub}\u0000${[...user.roles].sort().join(',')}`;
    if (known.has(key)) return;
    await recordStaffAccount(db, { authority: user.authority, subject: user.sub, roles: user.roles, caseId });
    if (known.size >= limit) known.clear();
    known.add(key);
  };
}
