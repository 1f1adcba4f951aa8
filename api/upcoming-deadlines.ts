/**
 * The pending deadlines of an authority's running cases between two days: what
 * the console's month view shows and what a personal .ics feed carries. Read
 * from the read model (store/case-views.ts: the deadlines each case writes
 * with its view), one indexed query for the days asked, never a query to every
 * running case; bounded, and without the cases the viewer is recused from,
 * whose matter and deadlines a recused person does not see.
 */
import type { IsoDate } from '../domain/calendar';
import { samePerson, type PersonRef } from '../domain/case/persons';
import type { DeadlineRecord } from '../domain/case/contract';
import type { Queryable } from '../store/db';
import { deadlinesBetween } from '../store/case-views';

export interface UpcomingDeadline {
  caseId: string;
  jurisdiction: string;
  stage: string;
  matter: string;
  key: string;
  label: string;
  binds: DeadlineRecord['binds'];
  deadline: IsoDate;
  provisional: boolean;
  basis: DeadlineRecord['basis'];
  overdue: boolean;
}

/** At most this many deadlines in one answer (as many cases as the month view asked before the read model): more than a month can show; the case list finds the rest. */
export const MAX_DEADLINES = 500;

/** The viewer: its authority's deadlines, less the cases it is recused from (by account, or by name where the recusal has none). */
export interface Viewer extends PersonRef {
  authority: string;
}

export async function upcomingDeadlines(
  deps: { db: Queryable },
  viewer: Viewer,
  range: { from: IsoDate; to: IsoDate },
  limit = MAX_DEADLINES,
): Promise<{ deadlines: UpcomingDeadline[]; truncated: boolean }> {
  const rows = await deadlinesBetween(deps.db, viewer.authority, range, limit);
  const deadlines = rows
    .filter((row) => !row.recusals.some((r) => samePerson(r.person, viewer)))
    .map(({ recusals: _recusals, ...d }): UpcomingDeadline => d);
  return { deadlines, truncated: rows.length >= limit };
}
