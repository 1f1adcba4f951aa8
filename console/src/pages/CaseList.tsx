/**
 * 案件列表: the filters of GET /v1/cases, paged with its page tokens. The
 * filters stay in the page, not in the address: words of a matter are not
 * for browser history.
 */
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, type CaseFilters } from '../api';
import { chineseDate, chineseDateTime, lastDayOf } from '../format';
import { OUTCOME_NAMES, STAGE_FALLBACK, nameOf } from '../labels';
import { ErrorNote, Loading, PageTitle, useAsync } from '../util';

const PAGE_SIZE = 20;

/** One filter chosen from a list, 全部 (no filter) first. */
function FilterSelect(props: { id: string; label: string; value: string | undefined; onChange: (e: { target: { value: string } }) => void; options: [string, string][] }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value ?? ''} onChange={props.onChange}>
        <option value="">全部</option>
        {props.options.map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CaseList() {
  const rulebooks = useAsync(() => api.listRulebooks(), []);
  const [draft, setDraft] = useState<CaseFilters>({});
  const [filters, setFilters] = useState<CaseFilters>({});
  // Tokens of the pages before the current one, for 上一页.
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const token = pages[pages.length - 1];
  const list = useAsync(() => api.listCases({ ...filters, pageSize: PAGE_SIZE, ...(token ? { pageToken: token } : {}) }), [filters, token]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters(Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== '' && v !== undefined)));
    setPages([undefined]);
  }
  const set = (key: keyof CaseFilters) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  const jurisdictions = [...new Map((rulebooks.data?.rulebooks ?? []).map((b) => [b.id, b])).values()];

  return (
    <>
      <PageTitle>案件列表</PageTitle>
      <form className="filters" onSubmit={apply} aria-label="筛选案件">
        <FilterSelect id="f-jurisdiction" label="辖区规则" value={draft.jurisdiction} onChange={set('jurisdiction')} options={jurisdictions.map((b) => [b.id, b.name])} />
        <FilterSelect id="f-stage" label="阶段" value={draft.stage} onChange={set('stage')} options={Object.entries(STAGE_FALLBACK)} />
        <FilterSelect id="f-outcome" label="结果" value={draft.outcome} onChange={set('outcome')} options={Object.entries(OUTCOME_NAMES)} />
        <FilterSelect id="f-overdue" label="逾期" value={draft.overdue} onChange={set('overdue')} options={[['true', '已逾期'], ['false', '未逾期']]} />
        <FilterSelect id="f-assignee" label="承办人" value={draft.assignee} onChange={set('assignee')} options={[['mine', '我承办的'], ['unassigned', '未指定承办人']]} />
        <div className="field">
          <label htmlFor="f-before">期限早于</label>
          <input id="f-before" type="date" value={draft.deadlineBefore ?? ''} onChange={set('deadlineBefore')} />
        </div>
        <div className="field">
          <label htmlFor="f-q">事项关键词</label>
          <input id="f-q" type="search" value={draft.q ?? ''} onChange={set('q')} maxLength={50} />
        </div>
        <button type="submit" className="primary">
          筛选
        </button>
      </form>
      {list.error ? <ErrorNote>{list.error}</ErrorNote> : null}
      {/* A page token is good only for the list that handed it out, and Temporal lets old ones lapse: start again from the first page. */}
      {list.error && pages.length > 1 ? (
        <button type="button" onClick={() => setPages([undefined])}>
          回到第一页
        </button>
      ) : null}
      {list.loading && !list.data ? <Loading what="案件" /> : null}
      {list.data ? (
        <>
          {/* On a small screen the table scrolls inside its own region, which takes the focus so a keyboard can scroll it. */}
          <div className="table-scroll" role="region" aria-label="案件列表" tabIndex={0}>
          <table className="cases" aria-busy={list.loading}>
            <caption className="sr-only">案件，第 {pages.length} 页</caption>
            <thead>
              <tr>
                <th scope="col">案件</th>
                <th scope="col">事项</th>
                <th scope="col">阶段</th>
                <th scope="col">结果</th>
                <th scope="col">下一期限</th>
                <th scope="col">承办人</th>
                <th scope="col">立案时间</th>
              </tr>
            </thead>
            <tbody>
              {list.data.cases.map((c) => (
                <tr key={c.id} className={c.overdue ? 'overdue' : ''}>
                  <td>
                    <Link href={`/cases/${c.id}`}>{c.id}</Link>
                  </td>
                  <td>{c.matter}</td>
                  <td>{nameOf(STAGE_FALLBACK, c.stage)}</td>
                  <td>{nameOf(OUTCOME_NAMES, c.outcome) || '—'}</td>
                  <td>
                    {c.nextDeadline ? chineseDate(lastDayOf(c.nextDeadline)) : '—'}
                    {c.overdue ? <span className="badge overdue">已逾期</span> : null}
                  </td>
                  <td>{c.mine ? '我' : c.assigned ? '已指定' : '未指定'}</td>
                  <td>{chineseDateTime(c.openedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          {list.data.cases.length === 0 ? <p>没有符合条件的案件。</p> : null}
          <nav aria-label="翻页" className="pager">
            <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
              上一页
            </button>
            <span>第 {pages.length} 页</span>
            <button type="button" disabled={!list.data.nextPageToken} onClick={() => setPages([...pages, list.data!.nextPageToken ?? undefined])}>
              下一页
            </button>
          </nav>
        </>
      ) : null}
    </>
  );
}
