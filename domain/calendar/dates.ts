/**
 * Calendar-date arithmetic on ISO dates (YYYY-MM-DD).
 *
 * Dates are civil dates in Beijing, never instants: all arithmetic runs on UTC
 * midnights so that no machine time zone can shift a day. Pure and
 * deterministic, so workflow code may import it.
 */

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** China has kept UTC+8 without daylight saving since 1991. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Parses YYYY-MM-DD; undefined for a malformed or impossible date such as 2026-02-30. */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function isIsoDate(text: string): boolean {
  return parseIsoDate(text) !== undefined;
}

export function toIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function requireDate(date: IsoDate): { year: number; month: number; day: number } {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  return parsed;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function yearOf(date: IsoDate): number {
  return requireDate(date).year;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = requireDate(date);
  const d = new Date(Date.UTC(year, month - 1, day) + days * DAY_MS);
  return toIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * The day of the same number N months later; where that month has no such day,
 * its last day (民法典 第二百零二条: 没有对应日的，月末日为期间的最后一日).
 */
export function addMonthsClamped(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = requireDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return toIsoDate(y, m, Math.min(day, daysInMonth(y, m)));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  const { year, month, day } = requireDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

export function isWeekend(date: IsoDate): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The Beijing civil date at an instant. */
export function beijingDate(instantMs: number): IsoDate {
  const d = new Date(instantMs + BEIJING_OFFSET_MS);
  return toIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** 00:00 Beijing time of a date, as epoch milliseconds. */
export function beijingMidnight(date: IsoDate): number {
  const { year, month, day } = requireDate(date);
  return Date.UTC(year, month - 1, day) - BEIJING_OFFSET_MS;
}

/**
 * The instant a period whose last day is `lastDay` has run out: 24:00 Beijing
 * time of that day, i.e. the next midnight (民法典 第二百零三条: a period ends at
 * 24:00 of its last day).
 */
export function endOfDayBeijing(lastDay: IsoDate): number {
  return beijingMidnight(addDays(lastDay, 1));
}
