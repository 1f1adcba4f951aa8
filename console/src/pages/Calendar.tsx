/**
 * 日历: the authority's pending deadlines in a month view, and the caller's
 * personal .ics subscription address, which the caller can replace or
 * revoke. The address is shown once, when it is made; the API keeps only
 * a hash of it.
 */
import { useState } from 'react';
import { Link } from 'wouter';
import { api, type UpcomingDeadline } from '../api';
import { addDays, beijingToday, chineseDate, chineseDateTime, WEEKDAYS } from '../format';
import { ErrorNote, Loading, PageTitle, useAsync } from '../util';

function monthGrid(year: number, month: number): string[][] {
  const first = `${year}-${String(month).padStart(2, '0')}-01`;
  // Monday first, as Chinese calendars print weeks.
  const offset = (new Date(`${first}T00:00:00Z`).getUTCDay() + 6) % 7;
  let day = addDays(first, -offset);
  const weeks: string[][] = [];
  do {
    const week: string[] = [];
    for (let i = 0; i < 7; i++, day = addDays(day, 1)) week.push(day);
    weeks.push(week);
  } while (Number(day.slice(5, 7)) === month);
  return weeks;
}

function Feed() {
  const feed = useAsync(() => api.calendarFeed(), []);
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);

  async function create() {
    setError(undefined);
    try {
      const made = await api.createCalendarFeed();
      setUrl(made.url);
      setCopied(false);
      await feed.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  async function renew() {
    setError(undefined);
    try {
      await api.renewCalendarFeed();
      await feed.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  async function revoke() {
    setError(undefined);
    try {
      await api.revokeCalendarFeed();
      setUrl(undefined);
      await feed.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section aria-labelledby="feed" className="card">
      <h2 id="feed">订阅到个人日历</h2>
      <p>在 Outlook、手机日历等程序中“通过网址订阅日历”，即可看到本机关案件的期限。订阅地址即凭证，请勿转发；如已泄露，请重新生成或撤销。</p>
      {feed.data?.feed ? (
        <p>
          已于 {chineseDateTime(feed.data.feed.createdAt)} 生成订阅地址，有效至 {chineseDateTime(feed.data.feed.expiresAt)}
          {Date.parse(feed.data.feed.expiresAt) <= Date.now() ? '（已过期，续期后原地址恢复可用）' : '；到期前续期，地址不变'}。
        </p>
      ) : (
        <p>尚未生成订阅地址。</p>
      )}
      {url ? (
        <div className="field">
          <label htmlFor="feed-url">订阅地址（仅显示这一次）</label>
          <input id="feed-url" readOnly value={url} onFocus={(e) => e.target.select()} />
          <button
            type="button"
            onClick={() =>
              void navigator.clipboard?.writeText(url).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            复制
          </button>
          {copied ? <span role="status">已复制</span> : null}
        </div>
      ) : null}
      <button type="button" className="primary" onClick={() => void create()}>
        {feed.data?.feed ? '重新生成订阅地址（旧地址失效）' : '生成订阅地址'}
      </button>{' '}
      {feed.data?.feed ? (
        <>
          <button type="button" onClick={() => void renew()}>
            续期（地址不变）
          </button>{' '}
          <button type="button" onClick={() => void revoke()}>
            撤销订阅地址
          </button>
        </>
      ) : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
    </section>
  );
}

export function CalendarPage() {
  const today = beijingToday();
  const [month, setMonth] = useState({ year: Number(today.slice(0, 4)), month: Number(today.slice(5, 7)) });
  const weeks = monthGrid(month.year, month.month);
  const from = weeks[0]![0]!;
  const to = weeks[weeks.length - 1]![6]!;
  const deadlines = useAsync(() => api.upcomingDeadlines(from, to), [from, to]);
  const byDay = new Map<string, UpcomingDeadline[]>();
  for (const d of deadlines.data?.deadlines ?? []) byDay.set(d.deadline, [...(byDay.get(d.deadline) ?? []), d]);
  const shift = (n: number) => {
    const m = month.month + n;
    setMonth({ year: month.year + Math.floor((m - 1) / 12), month: ((m - 1 + 12) % 12) + 1 });
  };

  return (
    <>
      <PageTitle>日历</PageTitle>
      <div className="month-nav">
        <button type="button" onClick={() => shift(-1)}>
          上个月
        </button>
        <h2 id="month" aria-live="polite">
          {month.year}年{month.month}月
        </h2>
        <button type="button" onClick={() => shift(1)}>
          下个月
        </button>
      </div>
      {deadlines.error ? <ErrorNote>{deadlines.error}</ErrorNote> : null}
      {deadlines.loading && !deadlines.data ? <Loading what="期限" /> : null}
      {deadlines.data?.truncated ? <p role="status">本月期限过多，仅显示最早的 {deadlines.data.deadlines.length} 个；其余请在案件列表中按期限筛选。</p> : null}
      <table className="month" aria-labelledby="month">
        <thead>
          <tr>
            {WEEKDAYS.map((w) => (
              <th key={w} scope="col">
                周{w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]}>
              {week.map((day) => {
                const items = byDay.get(day) ?? [];
                const outside = Number(day.slice(5, 7)) !== month.month;
                return (
                  <td key={day} className={`${outside ? 'outside' : ''} ${day === today ? 'today' : ''}`} aria-label={`${chineseDate(day)}${items.length ? `，${items.length} 个期限` : ''}`}>
                    <div className="day">{Number(day.slice(8))}</div>
                    <ul>
                      {items.map((d) => (
                        <li key={`${d.caseId}-${d.key}`} className={d.overdue ? 'overdue' : d.binds}>
                          <Link href={`/cases/${d.caseId}`}>
                            {d.label}
                            <span className="sr-only">，</span>
                            <span className="muted"> {d.caseId}</span>
                          </Link>
                          {d.provisional ? <span className="badge amber">暂定</span> : null}
                        </li>
                      ))}
                    </ul>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <Feed />
    </>
  );
}
