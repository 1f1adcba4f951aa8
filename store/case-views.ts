/**
 * The read model of the cases: each case's state as of its last change, with
 * its version. The worker writes it for the case, in the workflow task of the
 * change (worker/case-views.ts), so the API reads a case, and authorises a
 * step on it, without a round trip to a worker, and still answers when no
 * worker runs.
 *
 * Beside the state, in the same transaction: the few fields a list of cases
 * needs (jurisdiction, stage, matter, recusals), and the case's deadlines a
 * calendar shows (`case_deadlines`), so a month view or a feed reads the rows
 * of its days instead of every running case.
 */
import type { CaseState, DeadlineRecord } from '../domain/case/contract';
import { waitingSteps, type WaitingStep } from '../domain/case/people';
import type { Db, Queryable } from './db';
import { ledgerColumns } from './ledger';

export interface CaseView {
  state: CaseState;
  version: number;
  savedAt: string;
}

/** A deadline as a calendar shows it: pending, or an authority's that lapsed unmet (overdue). */
export interface CalendarDeadline {
  key: string;
  label: string;
  binds: DeadlineRecord['binds'];
  provisional: boolean;
  basis: DeadlineRecord['basis'];
  overdue: boolean;
}

/** The deadlines of a case a calendar shows; none once it is closed. */
export function calendarDeadlines(state: CaseState): (CalendarDeadline & { deadline: string })[] {
  if (state.closed) return [];
  return state.deadlines.flatMap((d) => {
    // An authority's deadline that lapsed unmet is still to be met, now overdue; a party's lapsed window is closed.
    const overdue = d.status === 'lapsed' && d.binds === 'authority' && !d.metAt;
    if (d.status !== 'pending' && !overdue) return [];
    return [{ key: d.key, label: d.label, binds: d.binds, provisional: d.provisional, basis: d.basis, overdue, deadline: d.deadline }];
  });
}

/**
 * Writes the view unless a newer one is there already (a retried or late write never goes back in
 * time), and with it, only if it was written, the case's calendar deadlines. In one transaction whose
 * first statement locks the case's row: a concurrent write of the same case waits, then reads the
 * deadlines this one left.
 */
export async function saveCaseView(db: Db, state: CaseState, version: number): Promise<void> {
  const deadlines = calendarDeadlines(state).map(({ deadline, ...entry }) => ({ deadline, entry }));
  // Who holds the case and what it waits for (domain/case/people.ts), for the work queues.
  const waiting = waitingSteps(state);
  const waitingRoles = [...new Set(waiting.flatMap((w) => w.roles))];
  const ledger = ledgerColumns(state);
  await db.transaction(async (tx) => {
    const saved = await tx.query(
      `insert into case_views (case_id, authority, version, closed, state, saved_at, jurisdiction, stage, matter, recusals, assignee, team, waiting, waiting_roles, opened_on, outcome, figures)
       values ($1, $2, $3, $4, $5, now(), $6, $7, $8, $9, $10, $11::text[], $12, $13::text[], $14::date, $15, $16)
       on conflict (case_id) do update set version = excluded.version, closed = excluded.closed, state = excluded.state, saved_at = excluded.saved_at,
         jurisdiction = excluded.jurisdiction, stage = excluded.stage, matter = excluded.matter, recusals = excluded.recusals,
         assignee = excluded.assignee, team = excluded.team, waiting = excluded.waiting, waiting_roles = excluded.waiting_roles,
         opened_on = excluded.opened_on, outcome = excluded.outcome, figures = excluded.figures
       where case_views.version < excluded.version
       returning case_id`,
      [
        state.caseId,
        state.authority,
        version,
        state.closed,
        JSON.stringify(state),
        state.jurisdiction,
        state.stage,
        state.matter,
        JSON.stringify(state.recusals ?? []),
        state.assignment?.responsible.sub ?? null,
        state.assignment?.team.map((m) => m.sub) ?? [],
        JSON.stringify(waiting),
        waitingRoles,
        ledger.openedOn,
        ledger.outcome,
        ledger.figures,
      ],
    );
    if (saved.length === 0) return;
    await tx.query('delete from case_deadlines where case_id = $1', [state.caseId]);
    if (deadlines.length === 0) return;
    await tx.query(
      `insert into case_deadlines (case_id, authority, deadline, key, entry)
       select $1, $2, (d->>'deadline')::date, d->'entry'->>'key', d->'entry' from jsonb_array_elements($3::jsonb) d`,
      [state.caseId, state.authority, JSON.stringify(deadlines)],
    );
  });
}

export async function findCaseView(db: Queryable, caseId: string): Promise<CaseView | undefined> {
  const rows = await db.query<{ state: CaseState; version: number; saved_at: Date | string }>('select state, version, saved_at from case_views where case_id = $1', [caseId]);
  const row = rows[0];
  return row && { state: row.state, version: Number(row.version), savedAt: new Date(row.saved_at).toISOString() };
}

/** The views of these cases, by case id (a case without one is not in the map). */
export async function findCaseViews(db: Queryable, caseIds: string[]): Promise<Map<string, CaseState>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db.query<{ case_id: string; state: CaseState }>('select case_id, state from case_views where case_id = any($1::text[])', [caseIds]);
  return new Map(rows.map((r) => [r.case_id, r.state]));
}

/** Who is recused from each of these cases that has a view (a case without one is not in the map). */
export async function recusalsOfCases(db: Queryable, caseIds: string[]): Promise<Map<string, CaseState['recusals']>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db.query<{ case_id: string; recusals: CaseState['recusals'] }>('select case_id, recusals from case_views where case_id = any($1::text[])', [caseIds]);
  return new Map(rows.map((r) => [r.case_id, r.recusals]));
}

export interface DayDeadline extends CalendarDeadline {
  caseId: string;
  jurisdiction: string;
  stage: string;
  matter: string;
  deadline: string;
  recusals: CaseState['recusals'];
}

/** An authority's running cases' calendar deadlines between two days, by day, at most `limit`. */
export async function deadlinesBetween(db: Queryable, authority: string, range: { from: string; to: string }, limit: number): Promise<DayDeadline[]> {
  const rows = await db.query<{ case_id: string; deadline: Date | string; entry: CalendarDeadline; jurisdiction: string; stage: string; matter: string; recusals: CaseState['recusals'] }>(
    `select d.case_id, to_char(d.deadline, 'YYYY-MM-DD') as deadline, d.entry, v.jurisdiction, v.stage, v.matter, v.recusals
       from case_deadlines d join case_views v on v.case_id = d.case_id
      where d.authority = $1 and d.deadline between $2::date and $3::date and not v.closed
      order by d.deadline, d.case_id, d.key
      limit $4`,
    [authority, range.from, range.to, limit],
  );
  return rows.map((r) => ({ ...r.entry, caseId: r.case_id, deadline: String(r.deadline), jurisdiction: r.jurisdiction, stage: r.stage, matter: r.matter, recusals: r.recusals }));
}

/** A case with steps that wait for someone, as a work queue reads it from the view. */
export interface WorkRow {
  caseId: string;
  jurisdiction: string;
  stage: string;
  assignee: string | null;
  team: string[];
  recusals: CaseState['recusals'];
  waiting: WaitingStep[];
}

/**
 * The running cases of an authority that wait for someone: those held by `sub` (承办人 or team),
 * those waiting for one of `roles`, and (`unassigned`) those nobody holds that wait for an officer.
 * Views written before the queue existed carry no waiting steps: theirs are read from their state.
 */
export async function casesWaiting(
  db: Queryable,
  authority: string,
  who: { sub: string; roles: string[]; unassigned: boolean },
  limit = 1_000,
): Promise<WorkRow[]> {
  const rows = await db.query<{ case_id: string; jurisdiction: string; stage: string; assignee: string | null; team: string[]; recusals: CaseState['recusals']; waiting: WaitingStep[] | null; state: CaseState | null }>(
    `select case_id, jurisdiction, stage, assignee, team, recusals, waiting, case when waiting is null then state end as state
       from case_views
      where authority = $1 and not closed
        and (waiting is null
             or assignee = $2 or $2 = any(team)
             or waiting_roles && $3::text[]
             or ($4 and assignee is null and 'officer' = any(waiting_roles)))
      order by case_id
      limit $5`,
    [authority, who.sub, who.roles, who.unassigned, limit],
  );
  return rows.map((r) => ({
    caseId: r.case_id,
    jurisdiction: r.jurisdiction ?? r.state?.jurisdiction ?? '',
    stage: r.stage ?? r.state?.stage ?? '',
    assignee: r.assignee ?? r.state?.assignment?.responsible.sub ?? null,
    team: r.team?.length ? r.team : (r.state?.assignment?.team.map((m) => m.sub) ?? []),
    recusals: r.recusals ?? [],
    waiting: r.waiting ?? (r.state ? waitingSteps(r.state) : []),
  }));
}

/** Of these cases, which are held by `sub` (承办人 or team), and which nobody holds: for the case list's 承办人 filter. */
export async function assignmentsOf(db: Queryable, caseIds: string[]): Promise<Map<string, { assignee: string | null; team: string[] }>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db.query<{ case_id: string; assignee: string | null; team: string[] }>('select case_id, assignee, team from case_views where case_id = any($1::text[])', [caseIds]);
  return new Map(rows.map((r) => [r.case_id, { assignee: r.assignee, team: r.team ?? [] }]));
}
