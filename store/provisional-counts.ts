/**
 * Which cases counted a deadline with a year whose schedule was not loaded
 * (a provisional count). Loading the year tells exactly these cases to
 * recount. Counting and loading exclude each other (an advisory lock), so a
 * count either saw the year loaded or is in this table when the loading
 * commits: a case opened while a year is loaded is never missed, whatever
 * Temporal's visibility shows at that moment.
 */
import type { Db, Queryable } from './db';

/** The lock a count holds shared, and loading a year holds exclusively. */
const CALENDAR_LOCK = 7233002;

/** Runs a count under the shared lock and records the years it found provisional for the case. */
export async function countingWithCalendar<T>(db: Db, caseId: string | undefined, count: (tx: Queryable) => Promise<T & { provisionalYears: number[] }>): Promise<T & { provisionalYears: number[] }> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock_shared($1)', [CALENDAR_LOCK]);
    const result = await count(tx);
    if (caseId) {
      for (const year of result.provisionalYears) {
        await tx.query('insert into provisional_counts (case_id, year) values ($1, $2) on conflict do nothing', [caseId, year]);
      }
    }
    return result;
  });
}

/** Runs the loading of a year under the exclusive lock: no count is half-way while it commits. */
export function loadingCalendarYear<T>(db: Db, load: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [CALENDAR_LOCK]);
    return load(tx);
  });
}

/** A page of the cases that counted `year` provisionally; with `authority`, only that authority's (by the case's contacts). */
export async function casesCountedProvisionally(db: Queryable, year: number, limit: number, authority?: string): Promise<string[]> {
  const rows = authority
    ? await db.query<{ case_id: string }>(
        'select p.case_id from provisional_counts p join case_contacts c on c.case_id = p.case_id where p.year = $1 and c.authority = $3 order by p.case_id limit $2',
        [year, limit, authority],
      )
    : await db.query<{ case_id: string }>('select case_id from provisional_counts where year = $1 order by case_id limit $2', [year, limit]);
  return rows.map((r) => r.case_id);
}

/** The case has been told about the year (or no longer runs). */
export async function forgetProvisionalCount(db: Queryable, caseId: string, year: number): Promise<void> {
  await db.query('delete from provisional_counts where case_id = $1 and year = $2', [caseId, year]);
}
