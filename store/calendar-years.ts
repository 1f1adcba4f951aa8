import type { YearSchedule } from '../domain/calendar';
import type { Queryable } from './db';

interface Row {
  year: number;
  holidays: Record<string, string>;
  make_up_workdays: Record<string, string>;
  source: string;
  loaded_by: string;
  loaded_at: Date | string;
}

export interface LoadedYear extends YearSchedule {
  loadedBy: string;
  loadedAt: string;
}

function toLoaded(row: Row): LoadedYear {
  return {
    year: row.year,
    status: 'official',
    source: row.source,
    holidays: row.holidays,
    makeUpWorkdays: row.make_up_workdays,
    loadedBy: row.loaded_by,
    loadedAt: new Date(row.loaded_at).toISOString(),
  };
}

export async function listLoadedYears(db: Queryable): Promise<LoadedYear[]> {
  const rows = await db.query<Row>('select * from calendar_years order by year');
  return rows.map(toLoaded);
}

/** Stores (or replaces) a year's schedule; the previous one, if any, is returned. */
export async function saveLoadedYear(db: Queryable, schedule: YearSchedule, loadedBy: string): Promise<LoadedYear> {
  const rows = await db.query<Row>(
    `insert into calendar_years (year, holidays, make_up_workdays, source, loaded_by, loaded_at)
     values ($1, $2, $3, $4, $5, now())
     on conflict (year) do update set holidays = excluded.holidays, make_up_workdays = excluded.make_up_workdays,
       source = excluded.source, loaded_by = excluded.loaded_by, loaded_at = excluded.loaded_at
     returning *`,
    [schedule.year, JSON.stringify(schedule.holidays), JSON.stringify(schedule.makeUpWorkdays), schedule.source, loadedBy],
  );
  return toLoaded(rows[0] as Row);
}
