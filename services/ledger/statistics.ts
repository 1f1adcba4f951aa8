/**
 * The statistics of an authority's cases for a period (getStatistics), counted
 * from the figures the archive's read model gives of each case
 * (store/ledger.ts caseFigures). Pure: the same cases give the same figures.
 */
import { rulebooks } from '../../domain/rulebooks';
import { OUTCOMES } from '../../domain/rulebooks/schema';
import type { CaseFigures } from '../../store/ledger';
import { beijingDay } from './rows';

export interface Statistics {
  cases: number;
  applications: number;
  exOfficio: number;
  accepted: number;
  refused: number;
  outcomes: Record<(typeof OUTCOMES)[number], number>;
  appeals: number;
  revisions: number;
  withdrawals: number;
  /** Each catalogue item with its article and text as the rulebooks word it (empty for an id no shipped rulebook knows). */
  byItem: { item: string; article: string; text: string; cases: number }[];
  byUnit: { unit: string; cases: number }[];
  /** Each jurisdiction with its 办法's name. */
  byJurisdiction: { jurisdiction: string; name: string; cases: number }[];
  /** Per statutory deadline of the authority (binds: authority), settled ones only: met in time over met, late or lapsed. */
  onTime: { key: string; settled: number; inTime: number; rate: number | null }[];
  /** Calendar days from opening to the conclusion, and to closing: median and 90th percentile (nearest rank). */
  daysToDecision: { cases: number; median: number | null; p90: number | null };
  daysToClosing: { cases: number; median: number | null; p90: number | null };
}

/** Item ids and jurisdiction ids are the rulebooks' own, so the words people read come from the rulebooks too. */
const ITEMS = new Map<string, { article: string; text: string }>();
const JURISDICTION_NAMES = new Map<string, string>();
for (const book of rulebooks) {
  if (!JURISDICTION_NAMES.has(book.id)) JURISDICTION_NAMES.set(book.id, book.name);
  for (const c of Object.values(book.catalogues))
    if (c && 'items' in c) for (const i of c.items as { id: string; article: string; text: string }[]) if (!ITEMS.has(i.id)) ITEMS.set(i.id, { article: i.article, text: i.text });
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** Nearest-rank percentile of sorted numbers: the smallest value with at least p of them at or below it. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function spread(days: number[]) {
  const sorted = [...days].sort((a, b) => a - b);
  return { cases: sorted.length, median: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
}

function counted(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

const ranked = <K extends string>(counts: Map<string, number>, key: K) =>
  [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => ({ [key]: k, cases: n }) as { [P in K]: string } & { cases: number });

export function statisticsOf(cases: CaseFigures[]): Statistics {
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Statistics['outcomes'];
  for (const c of cases) if (c.outcome && c.outcome in outcomes) outcomes[c.outcome as keyof typeof outcomes] += 1;
  const deadlineKeys = new Map<string, { settled: number; inTime: number }>();
  for (const c of cases)
    for (const d of c.deadlines) {
      if (d.binds !== 'authority' || (d.status !== 'met' && d.status !== 'lapsed')) continue;
      const entry = deadlineKeys.get(d.key) ?? { settled: 0, inTime: 0 };
      entry.settled += 1;
      if (d.status === 'met') entry.inTime += 1;
      deadlineKeys.set(d.key, entry);
    }
  const opened = (c: CaseFigures) => dayNumber(beijingDay(c.openedAt));
  const closedOn = (c: CaseFigures) => c.closedOn ?? beijingDay(c.lastAt);
  return {
    cases: cases.length,
    applications: cases.filter((c) => !c.exOfficio).length,
    exOfficio: cases.filter((c) => c.exOfficio).length,
    accepted: cases.filter((c) => c.accepted === true).length,
    refused: cases.filter((c) => c.accepted === false).length,
    outcomes,
    appeals: cases.filter((c) => c.appealed).length,
    revisions: cases.filter((c) => c.appealResult === 'revised' || c.revisedOnAppeal).length,
    withdrawals: cases.filter((c) => c.withdrawn).length,
    byItem: ranked(counted(cases.flatMap((c) => [...new Set(c.circumstances)])), 'item').map(({ item, cases: n }) => ({ item, article: ITEMS.get(item)?.article ?? '', text: ITEMS.get(item)?.text ?? '', cases: n })),
    byUnit: ranked(counted(cases.map((c) => c.unit)), 'unit'),
    byJurisdiction: ranked(counted(cases.map((c) => c.jurisdiction)), 'jurisdiction').map(({ jurisdiction, cases: n }) => ({ jurisdiction, name: JURISDICTION_NAMES.get(jurisdiction) ?? jurisdiction, cases: n })),
    onTime: [...deadlineKeys]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([key, { settled, inTime }]) => ({ key, settled, inTime, rate: settled ? inTime / settled : null })),
    daysToDecision: spread(cases.filter((c) => c.decidedOn).map((c) => dayNumber(c.decidedOn!) - opened(c))),
    daysToClosing: spread(cases.filter((c) => c.closed).map((c) => dayNumber(closedOn(c)) - opened(c))),
  };
}
