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

/** The day a case was opened, in Beijing: its first timeline entry (caseOpened). */
const OPENED_ON = `((v.state->'timeline'->0->>'at')::timestamptz at time zone 'Asia/Shanghai')::date`;

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
  if (filter.outcome) add((n) => `v.state->>'outcome' = ${n}`, filter.outcome);
  if (filter.assignee) add((n) => `v.assignee = ${n}`, filter.assignee);
  if (filter.item) {
    add(
      (n) =>
        `(coalesce(v.state->'determination'->'circumstances', v.state->'investigationReport'->'circumstances', '[]'::jsonb) ? ${n}
          or coalesce(v.state->'determination'->'mitigating', v.state->'investigationReport'->'mitigating', '[]'::jsonb) ? ${n}
          or coalesce(v.state->'determination'->'exclusions', '[]'::jsonb) ? ${n})`,
      filter.item,
    );
  }
  if (filter.overdue !== undefined) {
    const lapsed = `(not v.closed and exists (select 1 from jsonb_array_elements(v.state->'deadlines') d
                      where d->>'binds' = 'authority' and d->>'status' = 'lapsed' and d->>'metAt' is null))`;
    clauses.push(filter.overdue ? lapsed : `not ${lapsed}`);
  }
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
  unit: string;
  closedOn: string | null;
  lastAt: string;
  deadlines: { key: string; binds: string; status: string; metAt?: string }[];
}

export async function caseFigures(db: Queryable, filter: LedgerFilter): Promise<CaseFigures[]> {
  const { sql, params } = where(filter);
  const rows = await db.query<{ f: CaseFigures }>(
    `select jsonb_build_object(
        'caseId', v.case_id, 'authority', v.authority, 'jurisdiction', v.jurisdiction, 'closed', v.closed,
        'openedAt', v.state->'timeline'->0->>'at',
        'route', v.state->'intake'->>'route',
        'exOfficio', coalesce(v.state->'intake'->>'route' = 'exOfficio' or v.state ? 'exOfficio', false),
        'accepted', case when v.state ? 'acceptance' then (v.state->'acceptance'->>'accepted')::boolean
                         when v.state ? 'startApproval' then (v.state->'startApproval'->>'approved')::boolean end,
        'outcome', v.state->>'outcome',
        'decidedOn', v.state->'determination'->>'decidedOn',
        'revisedOnAppeal', coalesce((v.state->'determination'->>'revisedOnAppeal')::boolean, false),
        'appealed', v.state ? 'appeal',
        'appealResult', v.state->'appeal'->'decision'->>'result',
        'withdrawn', v.state ? 'withdrawal',
        'circumstances', coalesce(v.state->'determination'->'circumstances', '[]'::jsonb),
        'unit', v.state->'subject'->>'organisation',
        'closedOn', case when v.closed then coalesce(v.state->'archive'->>'archivedOn', v.state->'withdrawal'->>'withdrawnOn') end,
        'lastAt', v.state->'timeline'->-1->>'at',
        'deadlines', (select coalesce(jsonb_agg(jsonb_build_object('key', d->'key', 'binds', d->'binds', 'status', d->'status', 'metAt', d->'metAt')), '[]'::jsonb)
                        from jsonb_array_elements(v.state->'deadlines') d)
      ) as f
      from case_views v where ${sql}`,
    params,
  );
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
