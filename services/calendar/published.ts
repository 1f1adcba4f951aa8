/**
 * The State Council's published schedules, as carried by the maintained
 * `chinese-days` package (its data is taken from the yearly 国务院办公厅关于部分节假日安排的通知).
 */
import type { YearSchedule } from '../../domain/calendar';

interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const packageVersion: string = require('chinese-days/package.json').version;
const data: PackageData = require('chinese-days/dist/chinese-days.json');

export const PUBLISHED_SOURCE = `国务院办公厅节假日安排通知 (npm chinese-days@${packageVersion})`;

/** Entries look like "National Day,国庆节,3": English name, Chinese name, length. */
function chineseName(entry: string): string {
  return entry.split(',')[1] ?? entry;
}

function byYear(entries: Record<string, string>): Map<number, Record<string, string>> {
  const years = new Map<number, Record<string, string>>();
  for (const [date, entry] of Object.entries(entries)) {
    const year = Number(date.slice(0, 4));
    const days = years.get(year) ?? {};
    days[date] = chineseName(entry);
    years.set(year, days);
  }
  return years;
}

function buildPublished(): Map<number, YearSchedule> {
  const holidays = byYear(data.holidays);
  const workdays = byYear(data.workdays);
  const schedules = new Map<number, YearSchedule>();
  for (const year of holidays.keys()) {
    schedules.set(year, {
      year,
      status: 'official',
      source: PUBLISHED_SOURCE,
      holidays: sortKeys(holidays.get(year) ?? {}),
      makeUpWorkdays: sortKeys(workdays.get(year) ?? {}),
    });
  }
  return schedules;
}

function sortKeys(days: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(days).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export const publishedSchedules: ReadonlyMap<number, YearSchedule> = buildPublished();
