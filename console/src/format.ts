/** Dates as the console shows them: statutory days are Beijing days, written 2026年11月24日. */
export function beijingToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function chineseDate(date: string | null | undefined): string {
  if (!date) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}

/** An instant (ISO) as Beijing date and time. */
export function chineseDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${chineseDate(d.slice(0, 10))} ${d.slice(11, 16)}`;
}

/** The Beijing day of an instant. */
export function beijingDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

export const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** A deadline's end (midnight Beijing after its last day, as the API's nextDeadline) as its last day. */
export function lastDayOf(endsAt: string): string {
  return beijingDay(new Date(Date.parse(endsAt) - 1).toISOString());
}
