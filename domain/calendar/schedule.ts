import type { IsoDate } from './dates';

/**
 * One year of the State Council's holiday schedule (国务院办公厅关于某年部分节假日安排的通知):
 * the days off for statutory holidays and the weekend days worked instead (调休).
 *
 * `official` means the year's notice has been published and loaded; a
 * `provisional` year holds only what is certain before that: the fixed statutory
 * holidays of 全国年节及纪念日放假办法, so deadlines counted through it are marked
 * provisional until the notice is loaded.
 */
export interface YearSchedule {
  year: number;
  status: 'official' | 'provisional';
  /** Where the dates came from, for `GET /v1/calendar/years` and audits. */
  source: string;
  /** Day off → name of the holiday it belongs to (may be a weekend day inside the holiday). */
  holidays: Record<IsoDate, string>;
  /** Weekend day that is a working day → name of the holiday it makes up for. */
  makeUpWorkdays: Record<IsoDate, string>;
}

/** Looks up the schedule of a year; every year a count touches must be answerable. */
export type ScheduleLookup = (year: number) => YearSchedule;

/** Calendar data as plain JSON, so it can travel in workflow inputs and activity results. */
export interface CalendarSnapshot {
  years: Record<string, YearSchedule>;
}

export function lookupFromSnapshot(snapshot: CalendarSnapshot): ScheduleLookup {
  return (year) => {
    const schedule = snapshot.years[String(year)];
    if (!schedule) throw new RangeError(`the calendar snapshot has no schedule for ${year}`);
    return schedule;
  };
}
