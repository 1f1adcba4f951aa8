import type { Queryable } from './db';

/** The next case number of a jurisdiction in a year: gap-free, never reused, safe under concurrency. */
export async function nextCaseNumber(db: Queryable, jurisdiction: string, year: number): Promise<number> {
  const rows = await db.query<{ last_number: number }>(
    `insert into case_numbers (jurisdiction, year, last_number) values ($1, $2, 1)
     on conflict (jurisdiction, year) do update set last_number = case_numbers.last_number + 1
     returning last_number`,
    [jurisdiction, year],
  );
  return Number(rows[0]?.last_number);
}
