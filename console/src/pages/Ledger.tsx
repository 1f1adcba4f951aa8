/**
 * 台账 and 统计: the authority's cases as the ledger lists them (GET /v1/ledger, filters and paging,
 * export as .xlsx or CSV) and the figures of a period (GET /v1/statistics) as tables. Everything
 * from the API with the user's token; nothing counted in the browser.
 */
import { useState } from 'react';
import { Link } from 'wouter';
import { ledgerApi, type LedgerQuery } from '../api';
import { ErrorNote, Loading, PageTitle, useAsync } from '../util';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const monthsAgo = (n: number) => {
  const d = new Date(Date.now() + 8 * 3_600_000);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 10);
};
const OUTCOMES: [string, string][] = [['exempt', '免责'], ['mitigated', '减轻'], ['lenient', '从轻'], ['denied', '不予免责']];
const PAGE = 50;

function Period({ from, to, onChange }: { from: string; to: string; onChange: (from: string, to: string) => void }) {
  return (
    <fieldset className="filters">
      <legend>统计期间（启动日）</legend>
      <label>
        自 <input type="date" value={from} onChange={(e) => onChange(e.target.value, to)} />
      </label>
      <label>
        至 <input type="date" value={to} onChange={(e) => onChange(from, e.target.value)} />
      </label>
    </fieldset>
  );
}

export function StatisticsPage() {
  const [period, setPeriod] = useState({ from: monthsAgo(3), to: today() });
  const stats = useAsync(() => ledgerApi.statistics(period), [period.from, period.to]);
  const s = stats.data;
  return (
    <>
      <PageTitle>统计</PageTitle>
      <Period from={period.from} to={period.to} onChange={(from, to) => setPeriod({ from, to })} />
      {stats.loading && <Loading what="统计" />}
      {stats.error && <ErrorNote>{stats.error}</ErrorNote>}
      {s && (
        <>
          <table className="figures" aria-label="总体情况">
            <tbody>
              <tr><th scope="row">启动件数</th><td data-figure="cases">{s.cases}</td></tr>
              <tr><th scope="row">本人申请</th><td data-figure="applications">{s.applications}</td></tr>
              <tr><th scope="row">依职权启动</th><td data-figure="exOfficio">{s.exOfficio}</td></tr>
              <tr><th scope="row">予以受理</th><td data-figure="accepted">{s.accepted}</td></tr>
              <tr><th scope="row">不予受理</th><td data-figure="refused">{s.refused}</td></tr>
              {OUTCOMES.map(([key, name]) => (
                <tr key={key}><th scope="row">认定{name}</th><td data-figure={`outcome-${key}`}>{s.outcomes[key] ?? 0}</td></tr>
              ))}
              <tr><th scope="row">申诉</th><td data-figure="appeals">{s.appeals}</td></tr>
              <tr><th scope="row">申诉后变更</th><td data-figure="revisions">{s.revisions}</td></tr>
              <tr><th scope="row">撤回或终止</th><td data-figure="withdrawals">{s.withdrawals}</td></tr>
              <tr><th scope="row">启动至认定天数（中位数 / 90%分位）</th><td>{s.daysToDecision.median ?? '—'} / {s.daysToDecision.p90 ?? '—'}</td></tr>
              <tr><th scope="row">启动至办结天数（中位数 / 90%分位）</th><td>{s.daysToClosing.median ?? '—'} / {s.daysToClosing.p90 ?? '—'}</td></tr>
            </tbody>
          </table>
          <h2>按适用办法</h2>
          <table aria-label="按适用办法"><thead><tr><th scope="col">办法</th><th scope="col">件数</th></tr></thead>
            <tbody>{s.byJurisdiction.map((j) => <tr key={j.jurisdiction}><td>{j.jurisdiction}</td><td>{j.cases}</td></tr>)}</tbody></table>
          <h2>按容错情形</h2>
          <table aria-label="按容错情形"><thead><tr><th scope="col">情形</th><th scope="col">件数</th></tr></thead>
            <tbody>{s.byItem.map((i) => <tr key={i.item}><td>{i.item}</td><td>{i.cases}</td></tr>)}</tbody></table>
          <h2>按单位</h2>
          <table aria-label="按单位"><thead><tr><th scope="col">单位</th><th scope="col">件数</th></tr></thead>
            <tbody>{s.byUnit.map((u) => <tr key={u.unit}><td>{u.unit}</td><td>{u.cases}</td></tr>)}</tbody></table>
          <h2>按期率</h2>
          <table aria-label="按期率"><thead><tr><th scope="col">期限</th><th scope="col">按期 / 已结</th><th scope="col">按期率</th></tr></thead>
            <tbody>{s.onTime.map((d) => <tr key={d.key}><td>{d.key}</td><td>{d.inTime} / {d.settled}</td><td>{d.rate === null ? '—' : `${(d.rate * 100).toFixed(1)}%`}</td></tr>)}</tbody></table>
        </>
      )}
    </>
  );
}

async function save(query: LedgerQuery, format: 'xlsx' | 'csv') {
  const blob = await ledgerApi.exportLedger(query, format);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `台账.${format}`;
  a.click();
  URL.revokeObjectURL(a.href);
}

export function LedgerPage() {
  const [filters, setFilters] = useState<LedgerQuery>({ from: monthsAgo(3), to: today() });
  const [offset, setOffset] = useState(0);
  const [exportError, setExportError] = useState<string>();
  const page = useAsync(() => ledgerApi.ledger({ ...filters, limit: PAGE, offset }), [JSON.stringify(filters), offset]);
  const set = (key: string, value: string) => {
    setOffset(0);
    setFilters({ ...filters, [key]: value || undefined });
  };
  return (
    <>
      <PageTitle>台账</PageTitle>
      <Period from={String(filters.from ?? '')} to={String(filters.to ?? '')} onChange={(from, to) => setFilters({ ...filters, from, to })} />
      <fieldset className="filters">
        <legend>筛选</legend>
        <label>
          认定结果{' '}
          <select value={String(filters.outcome ?? '')} onChange={(e) => set('outcome', e.target.value)}>
            <option value="">全部</option>
            {OUTCOMES.map(([k, n]) => <option key={k} value={k}>{n}</option>)}
          </select>
        </label>
        <label>
          逾期{' '}
          <select value={String(filters.overdue ?? '')} onChange={(e) => set('overdue', e.target.value)}>
            <option value="">全部</option>
            <option value="true">已逾期</option>
            <option value="false">未逾期</option>
          </select>
        </label>
        <button type="button" onClick={() => save(filters, 'xlsx').catch((e: Error) => setExportError(e.message))}>导出 Excel</button>
        <button type="button" onClick={() => save(filters, 'csv').catch((e: Error) => setExportError(e.message))}>导出 CSV</button>
      </fieldset>
      {exportError && <ErrorNote>{exportError}</ErrorNote>}
      {page.loading && <Loading what="台账" />}
      {page.error && <ErrorNote>{page.error}</ErrorNote>}
      {page.data && (
        <>
          <p>共 {page.data.total} 件</p>
          <table className="ledger">
            <thead>
              <tr>
                <th scope="col">案件编号</th><th scope="col">当事人</th><th scope="col">单位</th><th scope="col">事由</th><th scope="col">环节</th>
                <th scope="col">结果</th><th scope="col">依据情形</th><th scope="col">承办人</th><th scope="col">启动</th><th scope="col">认定</th><th scope="col">办结</th><th scope="col">逾期</th>
              </tr>
            </thead>
            <tbody>
              {page.data.rows.map((r) => (
                <tr key={r.caseId} className={r.overdue ? 'overdue' : undefined}>
                  <td><Link href={`/cases/${r.caseId}`}>{r.caseId}</Link></td>
                  <td>{r.subject ?? '（回避）'}</td><td>{r.unit}</td><td>{r.matter}</td><td>{r.stage}</td><td>{r.outcomeName ?? ''}</td>
                  <td>{r.items.map((i) => <span key={i.id} title={i.text}>{i.article} </span>)}</td>
                  <td>{r.assignee ?? ''}</td><td>{r.openedOn}</td><td>{r.decidedOn ?? ''}</td><td>{r.closedOn ?? ''}</td><td>{r.overdue ? '是' : '否'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>上一页</button>{' '}
            <button type="button" disabled={offset + PAGE >= page.data.total} onClick={() => setOffset(offset + PAGE)}>下一页</button>
          </p>
        </>
      )}
    </>
  );
}
