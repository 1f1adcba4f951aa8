/**
 * What is certain about a year before its schedule is published: weekends, and
 * the statutory holidays that 全国年节及纪念日放假办法 (as amended 2024, in force
 * 2025-01-01) fixes by date. Make-up working days are never known in advance,
 * so a year built here is always provisional.
 */
import { getSolarDateFromLunar, getSolarTerms } from 'chinese-days';
import { addDays, toIsoDate, type YearSchedule } from '../../domain/calendar';

export const FIXED_HOLIDAYS_SOURCE = '全国年节及纪念日放假办法第二条（固定假日，调休未公布）';

function lunar(year: number, month: number, day: number): string {
  return getSolarDateFromLunar(toIsoDate(year, month, day)).date;
}

export function fixedHolidaySchedule(year: number): YearSchedule {
  const holidays: Record<string, string> = {};
  const add = (date: string, name: string) => {
    if (date.startsWith(String(year))) holidays[date] = name;
  };
  // (一) 元旦，放假1天（1月1日）
  add(toIsoDate(year, 1, 1), '元旦');
  // (二) 春节，放假4天（农历除夕、正月初一至初三）. The Spring Festival of `year` and
  // the eve of the next one can both fall inside the year; only the first matters in practice.
  for (const festivalYear of [year, year + 1]) {
    const newYear = lunar(festivalYear, 1, 1);
    for (let i = -1; i <= 2; i += 1) add(addDays(newYear, i), '春节');
  }
  // (三) 清明节，放假1天（农历清明当日）
  const qingming = getSolarTerms(toIsoDate(year, 4, 1), toIsoDate(year, 4, 10)).find((t) => t.name === '清明');
  if (qingming) add(qingming.date, '清明节');
  // (四) 劳动节，放假2天（5月1日、2日）
  add(toIsoDate(year, 5, 1), '劳动节');
  add(toIsoDate(year, 5, 2), '劳动节');
  // (五) 端午节，放假1天（农历端午当日）
  add(lunar(year, 5, 5), '端午节');
  // (六) 中秋节，放假1天（农历中秋当日）
  add(lunar(year, 8, 15), '中秋节');
  // (七) 国庆节，放假3天（10月1日至3日）
  for (let d = 1; d <= 3; d += 1) add(toIsoDate(year, 10, d), '国庆节');

  return {
    year,
    status: 'provisional',
    source: FIXED_HOLIDAYS_SOURCE,
    holidays: Object.fromEntries(Object.entries(holidays).sort(([a], [b]) => (a < b ? -1 : 1))),
    makeUpWorkdays: {},
  };
}
