/**
 * The people around a case, as the workflow, the worker and the API see them
 * alike: the officer who holds it (承办人) and its team, the parties' own
 * accounts, and which of the steps on offer are someone's work now (a queue is
 * a query over the case's state, not a second copy of it). No logic with side
 * effects and no Node API: workflows import this.
 */
import type { IsoDate } from '../calendar';
import type { Party } from '../rulebooks/schema';
import type { ActionName, Actor, AvailableAction, ByActor, CaseState, DeadlineRecord } from './contract';

/** Someone a case is assigned to, with the keyed hash of its account the case list filters on (never the account itself). */
export interface Assignee {
  sub: string;
  name: string;
  /** HMAC of the authority and the account (services/cases/search-terms.ts), what the Assignees search attribute holds. */
  key: string;
}

/** Who holds the case (承办人) and who works on it with them; set by a supervisor (assignCase) or claimed by an officer (claimCase). */
export interface Assignment {
  responsible: Assignee;
  team: Assignee[];
  assignedBy: Actor;
  assignedAt: string;
  reason: string;
}

/** The parties' own accounts besides the subject's (CaseState.subject.userId): the organisation (unit) that applied or is served. */
export interface PartyAccounts {
  subjectOrganisation?: string | undefined;
}

export interface AssignCaseInput extends ByActor {
  responsible: Assignee;
  team?: Assignee[] | undefined;
  reason: string;
}
export interface ClaimCaseInput extends ByActor {
  /** The claiming officer's key (the API computes it; the workflow has no key). */
  key: string;
  reason?: string | undefined;
}
export interface BindOrganisationAccountInput extends ByActor {
  userId: string;
}

/** The role a party's own account holds; it is never combined with a staff role. */
export const PARTY_ROLE = 'party';

/** The steps a party may take itself, online, and the field of each that names who files. */
export const PARTY_FILINGS = { fileApplication: 'filedBy', recordStatement: 'by', fileAppeal: 'filedBy' } as const satisfies Partial<Record<ActionName, string>>;
export type PartyFiling = keyof typeof PARTY_FILINGS;
export const isPartyFiling = (name: string): name is PartyFiling => Object.hasOwn(PARTY_FILINGS, name);

/**
 * Steps on offer for as long as the case runs, whatever it waits for: nobody's work because they are
 * open (a recusal, binding an account, ending the case, assigning it).
 */
export const ALWAYS_OFFERED: readonly ActionName[] = [
  'recordRecusal',
  'bindSubjectAccount',
  'bindOrganisationAccount',
  'withdrawCase',
  'recordAccusationFalse',
  'assignCase',
  'claimCase',
];

/** Steps that are work but whose people are told another way (an effect that failed tells the supervisors itself). */
export const TOLD_OTHERWISE: readonly ActionName[] = ['retryEffect', 'skipEffect'];

/** A step the case waits for now, as a queue lists it. */
export interface WaitingStep {
  action: ActionName;
  label: string;
  roles: string[];
  /** The statutory last day, its article and whose it is, where a deadline runs. */
  deadline?: IsoDate;
  deadlineLabel?: string;
  article?: string;
  binds?: DeadlineRecord['binds'];
  provisional?: boolean;
  /** An authority's deadline that lapsed with the step still waiting. */
  overdue?: boolean;
}

function deadlineFields(deadline: DeadlineRecord | undefined): Partial<WaitingStep> {
  if (!deadline) return {};
  return {
    deadline: deadline.deadline,
    deadlineLabel: deadline.label,
    article: deadline.basis.article,
    binds: deadline.binds,
    provisional: deadline.provisional,
    ...(deadline.status === 'lapsed' && deadline.binds === 'authority' && !deadline.metAt ? { overdue: true } : {}),
  };
}

/** The deadline an offered step is due by: by its key where the case says it, else the pending deadline of that day. */
function deadlineOf(state: Pick<CaseState, 'deadlines'>, action: AvailableAction): DeadlineRecord | undefined {
  if (!action.deadline) return undefined;
  // The latest record of that key (a window reopened is a record of its own), else one of that day, pending first.
  const byKey = action.deadlineKey ? state.deadlines.filter((d) => d.key === action.deadlineKey).at(-1) : undefined;
  if (byKey) return byKey;
  const ofDay = state.deadlines.filter((d) => d.deadline === action.deadline);
  return ofDay.find((d) => d.status === 'pending') ?? ofDay.at(-1);
}

/**
 * The steps the case waits for a member of staff to take: everything on offer, less the steps always
 * on offer and less a party's own window (an application or appeal not yet in, whose last day binds
 * the party: the party's work, not anybody's at the authority).
 */
export function waitingSteps(state: Pick<CaseState, 'closed' | 'availableActions' | 'deadlines'>): WaitingStep[] {
  if (state.closed) return [];
  return state.availableActions.flatMap((a): WaitingStep[] => {
    if (ALWAYS_OFFERED.includes(a.name)) return [];
    const deadline = deadlineOf(state, a);
    if (deadline?.binds === 'party') return [];
    return [
      {
        action: a.name,
        label: a.label,
        roles: [...a.roles],
        ...(deadline ? deadlineFields(deadline) : a.deadline ? { deadline: a.deadline } : {}),
      },
    ];
  });
}

/** A party's own filings open now: the steps it may take itself, with the window's last day that binds it. */
export function openFilings(state: Pick<CaseState, 'closed' | 'availableActions' | 'deadlines'>, party: Party): WaitingStep[] {
  if (state.closed) return [];
  return state.availableActions.flatMap((a): WaitingStep[] => {
    if (!isPartyFiling(a.name) || !a.filers?.includes(party)) return [];
    const deadline = deadlineOf(state, a);
    return [
      {
        action: a.name,
        label: a.label,
        roles: [...a.roles],
        ...deadlineFields(deadline),
      },
    ];
  });
}

/** Whether a step waits for a supervisor rather than the officer holding the case (deliberation, approvals, appeal decisions). */
export const forSupervisor = (step: Pick<WaitingStep, 'roles'>) => step.roles.includes('supervisor') && !step.roles.includes('officer');

/** Which party an account is on a case, if it is bound as one. */
export function partyOfAccount(state: Pick<CaseState, 'subject' | 'partyAccounts'>, sub: string): Party | undefined {
  if (state.subject.userId && state.subject.userId === sub) return 'subject';
  if (state.partyAccounts?.subjectOrganisation && state.partyAccounts.subjectOrganisation === sub) return 'subjectOrganisation';
  return undefined;
}

/** Whether the account is the case's 承办人 or on its team. */
export function assignedTo(state: Pick<CaseState, 'assignment'>, sub: string): boolean {
  const a = state.assignment;
  return !!a && (a.responsible.sub === sub || a.team.some((m) => m.sub === sub));
}
