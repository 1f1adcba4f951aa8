/**
 * One row of the 台账 (ledger) per case, as the archive's read model holds the
 * case (store/case-views.ts): its number, subject, unit, matter, route, stage,
 * outcome, the catalogue items the conclusion rests on (article and text), the
 * day of each step and, per statutory deadline, its last day, the day it was
 * met and whether on time. Pure: the same state always gives the same row.
 */
import type { CaseState, DeadlineRecord } from '../../domain/case/contract';
import { OUTCOME_NAMES, type Outcome } from '../../domain/rulebooks/schema';
import { rulebookOfCase } from '../casefile/rulebook-of-case';

export interface LedgerItem {
  id: string;
  article: string;
  text: string;
}

export interface LedgerDeadline {
  key: string;
  label: string;
  binds: DeadlineRecord['binds'];
  article: string;
  lastDay: string;
  /** The Beijing day it was met; null while pending, or lapsed unmet. */
  metOn: string | null;
  /** true met in time, false met late or lapsed unmet (an authority's), null still running or a party's window. */
  onTime: boolean | null;
}

export interface LedgerRow {
  caseId: string;
  jurisdiction: string;
  /** The subject's name; null where the caller may not see it (recused from the case). */
  subject: string | null;
  unit: string;
  matter: string;
  route: string;
  stage: string;
  outcome: string | null;
  outcomeName: string | null;
  closed: boolean;
  assignee: string | null;
  items: LedgerItem[];
  /** The day of each step, in the order taken: the case's timeline. */
  steps: { event: string; on: string }[];
  openedOn: string;
  decidedOn: string | null;
  closedOn: string | null;
  deadlines: LedgerDeadline[];
  overdue: boolean;
}

/** A moment as its day in Beijing (UTC+8, no daylight saving). */
export const beijingDay = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

export function ledgerDeadline(d: DeadlineRecord): LedgerDeadline {
  // The workflow records the moment only of a deadline met late (deadlines.ts settle); one met in time
  // shows status met, and the day of the step that met it is among the steps.
  const metOn = d.metAt ? beijingDay(d.metAt) : null;
  let onTime: boolean | null = null;
  if (d.binds === 'authority') {
    if (d.status === 'met') onTime = true;
    else if (d.status === 'lapsed') onTime = false;
  }
  return { key: d.key, label: d.label, binds: d.binds, article: d.basis.article, lastDay: d.deadline, metOn, onTime };
}

/** The catalogue items the conclusion rests on (circumstances, mitigating, exclusions), or the report's before a conclusion. */
export function itemsOf(state: CaseState): LedgerItem[] {
  const ids = state.determination
    ? [...state.determination.circumstances, ...state.determination.mitigating, ...state.determination.exclusions]
    : [...(state.investigationReport?.circumstances ?? []), ...(state.investigationReport?.mitigating ?? [])];
  const book = rulebookOfCase(state);
  const all = book ? Object.values(book.catalogues).flatMap((c) => (c && 'items' in c ? (c.items as { id: string; article: string; text: string }[]) : [])) : [];
  return [...new Set(ids)].map((id) => {
    const item = all.find((i) => i.id === id);
    return { id, article: item?.article ?? '', text: item?.text ?? '' };
  });
}

export function closedOnOf(state: CaseState): string | null {
  if (!state.closed) return null;
  const last = state.timeline.at(-1);
  return state.archive?.archivedOn ?? state.withdrawal?.withdrawnOn ?? (last ? beijingDay(last.at) : null);
}

export function ledgerRow(state: CaseState, options: { showSubject: boolean }): LedgerRow {
  const deadlines = state.deadlines.map(ledgerDeadline);
  const outcome = state.outcome ?? null;
  return {
    caseId: state.caseId,
    jurisdiction: state.jurisdiction,
    subject: options.showSubject ? state.subject.name : null,
    unit: state.subject.organisation,
    matter: state.matter,
    route: state.intake?.route ?? 'application',
    stage: state.stage,
    outcome,
    outcomeName: outcome ? (OUTCOME_NAMES[outcome as Outcome] ?? outcome) : null,
    closed: state.closed,
    assignee: state.assignment?.responsible.name ?? null,
    items: itemsOf(state),
    steps: state.timeline.map((t) => ({ event: t.event, on: beijingDay(t.at) })),
    openedOn: state.timeline[0] ? beijingDay(state.timeline[0].at) : '',
    decidedOn: state.determination?.decidedOn ?? null,
    closedOn: closedOnOf(state),
    deadlines,
    overdue: !state.closed && state.deadlines.some((d) => d.binds === 'authority' && d.status === 'lapsed' && !d.metAt),
  };
}
