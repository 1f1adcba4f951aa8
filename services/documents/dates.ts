/**
 * Dates as documents write them. GB/T 9704-2012 7.3.5.4 writes the 成文日期 in
 * Arabic numerals, the year in full and month and day without a leading zero
 * (2026年11月24日); the body uses the same form (GB/T 15835 on numerals in
 * publications), never the ISO form the case file keeps.
 */
import type { IsoDate } from '../../domain/calendar';

export function writtenDate(date: IsoDate): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not an ISO date: ${date}`);
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

/** Every ISO date inside free text (a reason, a finding) in written form. */
export function writeDatesIn(text: string): string {
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (_m, y: string, m: string, d: string) => `${y}年${Number(m)}月${Number(d)}日`);
}
