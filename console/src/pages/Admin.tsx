/**
 * 管理: the statutory calendar's years and where each came from, and loading
 * a year's holiday schedule (the State Council's notice), typed in or
 * uploaded as JSON. The API checks it and says what the load would recount
 * before anything is loaded. The calendar is national and every authority's
 * cases count by it, so only the system administrator (system-admin) loads a
 * year; an authority's admin may check one and see what a load would do.
 */
import { useState, type ChangeEvent } from 'react';
import { Link } from 'wouter';
import { api, ApiError, type YearPreview, type YearSchedule } from '../api';
import { beijingToday, chineseDate, chineseDateTime } from '../format';
import { fieldMessage, worksInAuthority } from '../labels';
import { session } from '../session';
import { ErrorNote, Loading, PageTitle, useAsync } from '../util';

type Day = { date: string; name: string };
const LISTS = { holidays: '放假日', makeUpWorkdays: '调休上班日' } as const;
type ListName = keyof typeof LISTS;

function DayRows({ list, days, errors, onChange }: { list: ListName; days: Day[]; errors: Record<string, string>; onChange: (days: Day[]) => void }) {
  return (
    <fieldset>
      <legend>{LISTS[list]}</legend>
      {errors[list] ? <p className="field-error">{errors[list]}</p> : null}
      {days.map((d, i) => (
        <div key={i} className="row">
          <label htmlFor={`${list}-${i}-date`}>
            {LISTS[list]} {i + 1} 日期
          </label>
          <input id={`${list}-${i}-date`} type="date" value={d.date} aria-invalid={errors[`${list}.${i}.date`] ? true : undefined} onChange={(e) => onChange(days.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)))} />
          <label htmlFor={`${list}-${i}-name`}>节日名称</label>
          <input id={`${list}-${i}-name`} value={d.name} aria-invalid={errors[`${list}.${i}.name`] ? true : undefined} onChange={(e) => onChange(days.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
          <button type="button" onClick={() => onChange(days.filter((_, j) => j !== i))}>
            删除<span className="sr-only">第 {i + 1} 个{LISTS[list]}</span>
          </button>
          {errors[`${list}.${i}.date`] ? <span className="field-error">{errors[`${list}.${i}.date`]}</span> : null}
          {errors[`${list}.${i}.name`] ? <span className="field-error">{errors[`${list}.${i}.name`]}</span> : null}
        </div>
      ))}
      <button type="button" onClick={() => onChange([...days, { date: '', name: '' }])}>
        添加{LISTS[list]}
      </button>
    </fieldset>
  );
}

function Preview({ preview, linkCases }: { preview: YearPreview; linkCases: boolean }) {
  return (
    <section aria-labelledby="preview" className="card" role="status">
      <h2 id="preview">载入前检查：{preview.year}年</h2>
      <p>
        共 {preview.holidays} 个放假日、{preview.makeUpWorkdays} 个调休上班日。
        {preview.current ? `将替换现有安排（${preview.current.source}）。` : '该年目前没有官方安排，期限按法定节假日暂算。'}
      </p>
      <p>
        <strong>将重新计算 {preview.casesToRecount} 件办理中案件的暂定期限。</strong>
      </p>
      {preview.cases.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">案件</th>
              <th scope="col">期限</th>
              <th scope="col">依据</th>
              <th scope="col">现最后一日</th>
              <th scope="col">载入后最后一日</th>
            </tr>
          </thead>
          <tbody>
            {preview.cases.flatMap((c) =>
              c.deadlines.length
                ? c.deadlines.map((d) => (
                    <tr key={`${c.caseId}-${d.key}`} className={d.before !== d.after ? 'changed' : ''}>
                      <td>{linkCases ? <Link href={`/cases/${c.caseId}`}>{c.caseId}</Link> : c.caseId}</td>
                      <td>{d.label}</td>
                      <td>{d.article}</td>
                      <td>{chineseDate(d.before)}</td>
                      <td>
                        {chineseDate(d.after)}
                        {d.before !== d.after ? ' （变化）' : ''}
                        {d.stillProvisional ? ' （仍为暂定）' : ''}
                      </td>
                    </tr>
                  ))
                : [
                    <tr key={c.caseId}>
                      <td>{c.caseId}</td>
                      <td colSpan={4}>载入后将重新计算</td>
                    </tr>,
                  ],
            )}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function Admin() {
  const roles = session.user()?.roles ?? [];
  const mayLoad = roles.includes('system-admin');
  const years = useAsync(() => api.calendarYears(), []);
  const [year, setYear] = useState(Number(beijingToday().slice(0, 4)) + 1);
  const [source, setSource] = useState('');
  const [holidays, setHolidays] = useState<Day[]>([{ date: '', name: '' }]);
  const [makeUpWorkdays, setMakeUpWorkdays] = useState<Day[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();
  const [preview, setPreview] = useState<YearPreview>();
  const [loaded, setLoaded] = useState<string>();
  const [busy, setBusy] = useState(false);

  const schedule = (): YearSchedule => ({ source, holidays, makeUpWorkdays });
  const edited = () => {
    setPreview(undefined);
    setLoaded(undefined);
  };

  function failed(err: unknown) {
    if (!(err instanceof ApiError)) throw err;
    setProblem(err.problem.detail);
    setErrors(Object.fromEntries((err.problem.errors ?? []).map((f) => [f.field.replace(/^(body|params)\./, ''), fieldMessage(f.message)])));
  }

  async function check() {
    setBusy(true);
    setErrors({});
    setProblem(undefined);
    try {
      setPreview(await api.previewYear(year, schedule()));
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  }

  async function load() {
    setBusy(true);
    setProblem(undefined);
    try {
      const saved = await api.loadYear(year, schedule());
      setLoaded(`已载入 ${saved.year} 年放假安排（${saved.source}），办理中的案件正在重新计算期限。`);
      setPreview(undefined);
      await years.reload();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  }

  async function upload(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    edited();
    try {
      const json = JSON.parse(await file.text()) as Partial<YearSchedule> & { year?: number };
      if (typeof json.year === 'number') setYear(json.year);
      setSource(json.source ?? '');
      setHolidays(Array.isArray(json.holidays) ? json.holidays : []);
      setMakeUpWorkdays(Array.isArray(json.makeUpWorkdays) ? json.makeUpWorkdays : []);
      setProblem(undefined);
    } catch {
      setProblem('文件不是有效的 JSON：应为 {"year": 2027, "source": "…", "holidays": [{"date": "2027-01-01", "name": "元旦"}], "makeUpWorkdays": […]}');
    }
  }

  return (
    <>
      <PageTitle>管理</PageTitle>
      <section aria-labelledby="years">
        <h2 id="years">法定节假日安排</h2>
        {years.error ? <ErrorNote>{years.error}</ErrorNote> : null}
        {years.loading && !years.data ? <Loading what="年度" /> : null}
        <table>
          <thead>
            <tr>
              <th scope="col">年度</th>
              <th scope="col">来源</th>
              <th scope="col">放假日</th>
              <th scope="col">调休上班日</th>
              <th scope="col">载入</th>
            </tr>
          </thead>
          <tbody>
            {years.data?.years.map((y) => (
              <tr key={y.year}>
                <th scope="row">{y.year}</th>
                <td>{y.source}</td>
                <td>{y.holidays}</td>
                <td>{y.makeUpWorkdays}</td>
                <td>{y.origin === 'overlay' ? `${y.loadedBy ?? ''} ${chineseDateTime(y.loadedAt)}` : '随软件发布'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">未列出的年度按法定节假日暂算期限，标为“暂定”；载入该年安排后自动重算。</p>
      </section>

      <section aria-labelledby="load" className="card">
        <h2 id="load">载入年度放假安排</h2>
        <div className="field">
          <label htmlFor="upload">从 JSON 文件读入（可选）</label>
          <input id="upload" type="file" accept="application/json,.json" onChange={(e) => void upload(e)} />
        </div>
        <div className="field">
          <label htmlFor="year">年度</label>
          <input id="year" type="number" min={1949} max={2200} value={year} onChange={(e) => { setYear(Number(e.target.value)); edited(); }} aria-invalid={errors.year ? true : undefined} />
          {errors.year ? <span className="field-error">{errors.year}</span> : null}
        </div>
        <div className="field">
          <label htmlFor="source">依据的通知（文号）</label>
          <input id="source" value={source} placeholder="国办发明电〔2026〕7号" onChange={(e) => { setSource(e.target.value); edited(); }} aria-invalid={errors.source ? true : undefined} />
          {errors.source ? <span className="field-error">{errors.source}</span> : null}
        </div>
        <DayRows list="holidays" days={holidays} errors={errors} onChange={(d) => { setHolidays(d); edited(); }} />
        <DayRows list="makeUpWorkdays" days={makeUpWorkdays} errors={errors} onChange={(d) => { setMakeUpWorkdays(d); edited(); }} />
        {problem ? <ErrorNote>{problem}</ErrorNote> : null}
        <button type="button" className="primary" disabled={busy} onClick={() => void check()}>
          检查
        </button>{' '}
        <button type="button" disabled={busy || !preview || !mayLoad} onClick={() => void load()} aria-describedby="load-who">
          载入
        </button>
        <p id="load-who" className="hint">
          {mayLoad ? '载入前须先检查。' : '载入须以“系统管理员”（system-admin）角色登录：法定节假日安排全国统一，载入后所有机关办理中的案件都重新计算期限。本机关管理员可以检查，并请系统管理员载入。'}
        </p>
        {loaded ? <p role="status" className="ok">{loaded}</p> : null}
      </section>
      {/* The preview lists every authority's cases; only those of the user's own authority open for it. */}
      {preview ? <Preview preview={preview} linkCases={worksInAuthority(roles)} /> : null}
    </>
  );
}
