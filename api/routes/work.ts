/**
 * 我的待办: every step that now waits for the caller, by assignment or by
 * role, each with its case, the step, the statutory last day and its article,
 * and the days left; overdue first, then the nearest last day. A query over
 * the cases' views (store/case-views.ts casesWaiting), not a copy of them:
 *
 * - an officer: the steps of the cases it holds (承办人 or team), and apart,
 *   the officers' steps of the cases nobody holds (it may claim them);
 * - a supervisor: the steps that wait for a supervisor (the deliberation,
 *   approvals, appeal decisions), on every case of its authority;
 * - a party: what it may file now on its own cases;
 * - never a case the caller is recused from.
 */
import type { Client } from '@temporalio/client';
import { beijingDate, beijingMidnight, compareDates, type IsoDate } from '../../domain/calendar';
import { forSupervisor, openFilings, partyOfAccount, TOLD_OTHERWISE, type WaitingStep } from '../../domain/case/people';
import { samePerson } from '../../domain/case/persons';
import { casesOfPartyAccount } from '../../store/case-contacts';
import { casesWaiting, findCaseViews } from '../../store/case-views';
import type { Db } from '../../store/db';
import { staffWithRole } from '../../store/staff-directory';
import { isParty, type User } from '../auth';
import { route, type RouteSpec } from '../registry';
import { PARTY_ROLES, ROLES } from '../roles';

export interface WorkItem extends WaitingStep {
  caseId: string;
  jurisdiction: string;
  stage: string;
  /** Why it is the caller's: it holds the case, it is a supervisor's step, nobody holds the case, or it is the party's own filing. */
  why: 'assigned' | 'supervisor' | 'unassigned' | 'party';
  /** Calendar days from today (Beijing) to the last day: 0 on the last day itself, below 0 once it has passed. */
  daysLeft: number | null;
  overdue: boolean;
}

const daysBetween = (from: IsoDate, to: IsoDate) => Math.round((beijingMidnight(to) - beijingMidnight(from)) / 86_400_000);

function item(row: { caseId: string; jurisdiction: string; stage: string }, step: WaitingStep, why: WorkItem['why'], today: IsoDate): WorkItem {
  const daysLeft = step.deadline ? daysBetween(today, step.deadline) : null;
  return { ...step, caseId: row.caseId, jurisdiction: row.jurisdiction, stage: row.stage, why, daysLeft, overdue: Boolean(step.overdue) || (daysLeft !== null && daysLeft < 0) };
}

/** Overdue first, then by last day (none last), then by case. */
export function byUrgency(a: WorkItem, b: WorkItem): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  if (a.deadline && b.deadline && a.deadline !== b.deadline) return compareDates(a.deadline, b.deadline);
  if (Boolean(a.deadline) !== Boolean(b.deadline)) return a.deadline ? -1 : 1;
  return a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0;
}

/** The caller's work and, for an officer, the steps of the cases nobody holds. */
export async function workOf(deps: { db: Db; client: Client }, user: User, today = beijingDate(Date.now())): Promise<{ work: WorkItem[]; unassigned: WorkItem[] }> {
  if (isParty(user)) {
    const bound = await casesOfPartyAccount(deps.db, user.authority, user.sub);
    const views = await findCaseViews(deps.db, bound.map((b) => b.caseId));
    const work = bound.flatMap(({ caseId }) => {
      const state = views.get(caseId);
      const party = state && partyOfAccount(state, user.sub);
      return state && party && state.authority === user.authority ? openFilings(state, party).map((s) => item({ caseId, jurisdiction: state.jurisdiction, stage: state.stage }, s, 'party', today)) : [];
    });
    return { work: work.sort(byUrgency), unassigned: [] };
  }
  const officer = user.roles.includes('officer');
  const supervisor = user.roles.includes('supervisor');
  if (!officer && !supervisor) return { work: [], unassigned: [] };
  const rows = await casesWaiting(deps.db, user.authority, { sub: user.sub, roles: supervisor ? ['supervisor'] : [], unassigned: officer });
  const work: WorkItem[] = [];
  const unassigned: WorkItem[] = [];
  for (const row of rows) {
    if (row.recusals.some((r) => samePerson(r.person, user))) continue;
    const holds = row.assignee === user.sub || row.team.includes(user.sub);
    for (const step of row.waiting) {
      if (supervisor && (forSupervisor(step) || (step.roles.includes('supervisor') && TOLD_OTHERWISE.includes(step.action)))) work.push(item(row, step, 'supervisor', today));
      else if (officer && step.roles.includes('officer') && holds) work.push(item(row, step, 'assigned', today));
      else if (officer && step.roles.includes('officer') && row.assignee === null) unassigned.push(item(row, step, 'unassigned', today));
    }
  }
  return { work: work.sort(byUrgency), unassigned: unassigned.sort(byUrgency) };
}

export function workRoutes(deps: { db: Db; client: Client }): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/work',
      operationId: 'listMyWork',
      summary: '我的待办: every step that now waits for the caller, by assignment or role, with its case, statutory last day, article and days left; overdue first',
      description:
        'An officer: the steps of the cases it holds (承办人 or team), and under `unassigned` the officers’ steps of the cases nobody holds. A supervisor: the steps that wait for a supervisor (deliberation, approvals, appeal decisions). A party: what it may file now. None of a case the caller is recused from. ' +
        '`daysLeft` counts calendar days to the last day (0: today is the last day).',
      tags: ['work'],
      access: { kind: 'roles', roles: [...ROLES, ...PARTY_ROLES] },
      responses: { 200: { description: 'The caller’s work, and the steps of unassigned cases' } },
      async handle({ user, res }) {
        const today = beijingDate(Date.now());
        res.json({ today, ...(await workOf(deps, user, today)) });
      },
    }),
    route({
      method: 'get',
      path: '/v1/officers',
      operationId: 'listOfficers',
      summary: 'The officers of the caller’s authority a case may be assigned to: those who have signed in as officers, by name',
      tags: ['work'],
      access: { kind: 'roles', roles: ['supervisor'] },
      responses: { 200: { description: 'The officers' } },
      async handle({ user, res }) {
        const officers = await staffWithRole(deps.db, user.authority, 'officer');
        res.json({ officers: officers.map((o) => ({ sub: o.sub, name: o.name })) });
      },
    }),
  ];
}
