/**
 * The ledger (台账) and the statistics read the archive's read model of the
 * cases (case_views, written by each case with every change), never Temporal:
 * filters run in SQL over the view's columns and its state, and only a page's
 * states are read whole.
 */
import type { CaseState } from '../domain/case/contract';
import type { Queryable } from './db';

export interface LedgerFilter {
  authorities: string[];
  /** Cases opened on or after / before or on these Beijing days. */
  from?: string | undefined;
  to?: string | undefined;
  jurisdiction?: string | undefined;
  stage?: string | undefined;
  outcome?: string | undefined;
  /** A catalogue item the conclusion (or the report) rests on. */
  item?: string | undefined;
  /** 承办人's account. */
  assignee?: string | undefined;
  overdue?: boolean | undefined;
}

/** The day a case was opened, in Beijing: its first timeline entry (caseOpened), a column of the view. */
const OPENED_ON = 'v.opened_on';

/** The Beijing day of a moment. */
const beijingDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * What the ledger filters and the statistics count of a case, written beside its view with every
 * change (store/case-views.ts), so neither reads 10,000 whole states: a few hundred bytes a case.
 */
export function figuresOf(state: CaseState): CaseFigures {
  const d = state.determination;
  const items = d ? [...d.circumstances, ...d.mitigating, ...d.exclusions] : [...(state.investigationReport?.circumstances ?? []), ...(state.investigationReport?.mitigating ?? [])];
  return {
    caseId: state.caseId,
    authority: state.authority,
    jurisdiction: state.jurisdiction,
    closed: state.closed,
    openedAt: state.timeline[0]?.at ?? '',
    route: state.intake?.route ?? null,
    exOfficio: state.intake?.route === 'exOfficio' || state.exOfficio !== undefined,
    accepted: state.acceptance ? state.acceptance.accepted : state.startApproval ? state.startApproval.approved : null,
    outcome: state.outcome ?? null,
    decidedOn: d?.decidedOn ?? null,
    revisedOnAppeal: d?.revisedOnAppeal ?? false,
    appealed: state.appeal !== undefined,
    appealResult: state.appeal?.decision?.result ?? null,
    withdrawn: state.withdrawal !== undefined,
    circumstances: d?.circumstances ?? [],
    items: [...new Set(items)],
    unit: state.subject.organisation,
    closedOn: state.closed ? (state.archive?.archivedOn ?? state.withdrawal?.withdrawnOn ?? null) : null,
    lastAt: state.timeline.at(-1)?.at ?? '',
    overdue: !state.closed && state.deadlines.some((x) => x.binds === 'authority' && x.status === 'lapsed' && !x.metAt),
    deadlines: state.deadlines.map((x) => ({ key: x.key, binds: x.binds, status: x.status, ...(x.metAt ? { metAt: x.metAt } : {}) })),
  };
}

/** The columns saveCaseView writes for the ledger. */
export function ledgerColumns(state: CaseState): { openedOn: string | null; outcome: string | null; figures: string } {
  const figures = figuresOf(state);
  return { openedOn: figures.openedAt ? beijingDay(figures.openedAt) : null, outcome: figures.outcome, figures: JSON.stringify(figures) };
}

function where(filter: LedgerFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [filter.authorities];
  const clauses = ['v.authority = any($1::text[])'];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filter.from) add((n) => `${OPENED_ON} >= ${n}::date`, filter.from);
  if (filter.to) add((n) => `${OPENED_ON} <= ${n}::date`, filter.to);
  if (filter.jurisdiction) add((n) => `v.jurisdiction = ${n}`, filter.jurisdiction);
  if (filter.stage) add((n) => `v.stage = ${n}`, filter.stage);
  if (filter.outcome) add((n) => `v.outcome = ${n}`, filter.outcome);
  if (filter.assignee) add((n) => `v.assignee = ${n}`, filter.assignee);
  if (filter.item) add((n) => `v.figures->'items' ? ${n}`, filter.item);
  if (filter.overdue !== undefined) clauses.push(filter.overdue ? `(v.figures->>'overdue')::boolean` : `not (v.figures->>'overdue')::boolean`);
  return { sql: clauses.join(' and '), params };
}

/** A page of the ledger, oldest case first, and how many cases match in all. */
export async function ledgerPage(db: Queryable, filter: LedgerFilter, page: { limit: number; offset: number }): Promise<{ total: number; states: CaseState[] }> {
  const { sql, params } = where(filter);
  const [{ total } = { total: 0 }] = await db.query<{ total: number | string }>(`select count(*) as total from case_views v where ${sql}`, params);
  if (page.limit === 0) return { total: Number(total), states: [] };
  const rows = await db.query<{ state: CaseState }>(
    `select v.state from case_views v where ${sql} order by ${OPENED_ON}, v.case_id limit $${params.length + 1} offset $${params.length + 2}`,
    [...params, page.limit, page.offset],
  );
  return { total: Number(total), states: rows.map((r) => r.state) };
}

/**
 * What the statistics count of each case, cut out of its state in SQL so 10,000 cases do not cross
 * as whole states: the route, acceptance, outcome, appeal, withdrawal, items, unit, deadlines and days.
 */
export interface CaseFigures {
  caseId: string;
  authority: string;
  jurisdiction: string;
  closed: boolean;
  openedAt: string;
  route: string | null;
  exOfficio: boolean;
  accepted: boolean | null;
  outcome: string | null;
  decidedOn: string | null;
  revisedOnAppeal: boolean;
  appealed: boolean;
  appealResult: string | null;
  withdrawn: boolean;
  circumstances: string[];
  /** Every catalogue item the conclusion (or the report before it) rests on. */
  items: string[];
  unit: string;
  closedOn: string | null;
  lastAt: string;
  overdue: boolean;
  deadlines: { key: string; binds: string; status: string; metAt?: string }[];
}

export async function caseFigures(db: Queryable, filter: LedgerFilter): Promise<CaseFigures[]> {
  const { sql, params } = where(filter);
  const rows = await db.query<{ f: CaseFigures }>(`select v.figures as f from case_views v where ${sql} and v.figures is not null`, params);
  return rows.map((r) => r.f);
}

/** The concluded cases of these authorities whose subject is this cadre: by the party account, or by name and unit. */
export async function conclusionsOfCadre(db: Queryable, authorities: string[], cadre: { userId?: string | undefined; name?: string | undefined; unit?: string | undefined }): Promise<CaseState[]> {
  const rows = await db.query<{ state: CaseState }>(
    `select v.state from case_views v
      where v.authority = any($1::text[]) and v.state ? 'determination'
        and (($2::text is not null and v.state->'subject'->>'userId' = $2)
             or ($3::text is not null and $4::text is not null and v.state->'subject'->>'name' = $3 and v.state->'subject'->>'organisation' = $4))
      order by v.state->'determination'->>'decidedOn', v.case_id`,
    [authorities, cadre.userId ?? null, cadre.name ?? null, cadre.unit ?? null],
  );
  return rows.map((r) => r.state);
}

/** The bodies each case's documents were copied to (抄送), with the document's number and the day it was issued. */
export async function copiesOfCases(db: Queryable, caseIds: string[]): Promise<Map<string, { body: string; on: string; reference: string }[]>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db.query<{ case_id: string; number: string; copy_to: unknown; issued_on: string }>(
    `select case_id, number, copy_to, to_char(issued_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as issued_on from documents where case_id = any($1::text[]) order by issued_at, number`,
    [caseIds],
  );
  const copies = new Map<string, { body: string; on: string; reference: string }[]>();
  for (const r of rows) {
    const bodies = Array.isArray(r.copy_to) ? r.copy_to.map((b) => (typeof b === 'string' ? b : String((b as { name?: string }).name ?? JSON.stringify(b)))) : [];
    const list = copies.get(r.case_id) ?? [];
    for (const body of bodies) list.push({ body, on: r.issued_on, reference: r.number });
    copies.set(r.case_id, list);
  }
  return copies;
}
