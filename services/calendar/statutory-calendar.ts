/**
 * The statutory calendar as the rest of the system sees it: published
 * schedules, overlaid by the years an administrator has loaded, and for any
 * other year the fixed statutory holidays only (provisional).
 */
import {
  computeDeadline,
  type DeadlineComputation,
  type IsoDate,
  type Period,
  type ScheduleLookup,
  type YearSchedule,
} from '../../domain/calendar';
import { listLoadedYears, type LoadedYear } from '../../store/calendar-years';
import type { Queryable } from '../../store/db';
import { fixedHolidaySchedule } from './fixed-holidays';
import { publishedSchedules } from './published';

export interface YearListing {
  year: number;
  status: 'official';
  origin: 'package' | 'overlay';
  source: string;
  holidays: number;
  makeUpWorkdays: number;
  loadedBy?: string;
  loadedAt?: string;
}

export class StatutoryCalendar {
  private readonly fixed = new Map<number, YearSchedule>();

  constructor(
    private readonly overlay: ReadonlyMap<number, LoadedYear>,
    private readonly published: ReadonlyMap<number, YearSchedule> = publishedSchedules,
  ) {}

  readonly lookup: ScheduleLookup = (year) => {
    const official = this.overlay.get(year) ?? this.published.get(year);
    if (official) return official;
    let provisional = this.fixed.get(year);
    if (!provisional) {
      provisional = fixedHolidaySchedule(year);
      this.fixed.set(year, provisional);
    }
    return provisional;
  };

  deadline(from: IsoDate, period: Period): DeadlineComputation {
    return computeDeadline(this.lookup, from, period);
  }

  hasOfficialSchedule(year: number): boolean {
    return this.overlay.has(year) || this.published.has(year);
  }

  years(): YearListing[] {
    const years = new Set([...this.published.keys(), ...this.overlay.keys()]);
    return [...years].sort((a, b) => a - b).map((year) => {
      const loaded = this.overlay.get(year);
      const schedule = this.lookup(year);
      return {
        year,
        status: 'official',
        origin: loaded ? 'overlay' : 'package',
        source: schedule.source,
        holidays: Object.keys(schedule.holidays).length,
        makeUpWorkdays: Object.keys(schedule.makeUpWorkdays).length,
        ...(loaded ? { loadedBy: loaded.loadedBy, loadedAt: loaded.loadedAt } : {}),
      };
    });
  }
}

/** Where the calendar's years come from: the archive database's overlay and the published package data. */
export interface CalendarSource {
  db: Queryable;
  /** Defaults to the package's schedules; tests pass fewer years to make a year unpublished. */
  published?: ReadonlyMap<number, YearSchedule>;
}

/** Reads the administrator's overlay afresh, so a year loaded a moment ago counts. */
export async function loadStatutoryCalendar(source: CalendarSource): Promise<StatutoryCalendar> {
  const loaded = await listLoadedYears(source.db);
  return new StatutoryCalendar(new Map(loaded.map((y) => [y.year, y])), source.published);
}
