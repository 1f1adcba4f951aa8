/**
 * 台账 and 统计: the authority's cases as the ledger lists them (GET /v1/ledger, filters and paging,
 * export as .xlsx or CSV) and the figures of a period (GET /v1/statistics) as a table and charts, each
 * chart with its numbers one click away (console/src/chart.tsx). Everything from the API with the
 * user's token; nothing counted in the browser.
 */
import { lazy, Suspense, useState } from 'react';
import { Link } from 'wouter';
import type { Outcome } from '../../../domain/rulebooks/schema';
import { ledgerApi, type LedgerQuery, type LedgerStatistics, type SubordinateAuthority } from '../api';
import { deadlineName, STATISTICS_NAMES } from '../labels';
import { ErrorNote, Loading, PageTitle, useAsync } from '../util';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const monthsAgo = (n: number) => {
  const d = new Date(Date.now() + 8 * 3_600_000);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 10);
};
const OUTCOMES: [Outcome, string][] = [['exempt', '免责'], ['mitigated', '减轻'], ['lenient', '从轻'], ['denied', '不予免责']];
const PAGE = 50;
/** ECharts in a chunk of its own, fetched when the statistics page first draws: no other page carries it. */
const BarFigure = lazy(() => import('../chart').then((m) => ({ default: m.BarFigure })));

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

/** The summary table, and the charts of outcomes, on-time rate, items, units and jurisdictions, of one set of figures. */
function Figures({ s }: { s: LedgerStatistics }) {
  const n = (v: number) => `${v} ${STATISTICS_NAMES.caseUnit}`;
  const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
  const counts = (list: { label: string; cases: number }[]) => list.map((x) => ({ label: x.label, value: x.cases, shown: n(x.cases) }));
  const outcomes = OUTCOMES.map(([key, name]) => ({ key, label: name, cases: s.outcomes[key] ?? 0 }));
  const items = s.byItem.map((i) => ({ key: i.item, label: i.article || i.item, cases: i.cases, text: i.text }));
  const units = s.byUnit.map((u) => ({ key: u.unit, label: u.unit, cases: u.cases }));
  const jurisdictions = s.byJurisdiction.map((j) => ({ key: j.jurisdiction, label: j.name, cases: j.cases }));
  return (
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
      <Suspense fallback={<Loading what="统计图" />}>
      <div className="charts">
        <BarFigure id="outcomes" title={STATISTICS_NAMES.outcomes} bars={counts(outcomes)} head={[STATISTICS_NAMES.outcomes, STATISTICS_NAMES.cases]} rows={outcomes.map((o) => ({ key: o.key, cells: [o.label, o.cases] }))} />
        <BarFigure
          id="onTime"
          title={STATISTICS_NAMES.onTime}
          max={100}
          bars={s.onTime.map((d) => ({ label: deadlineName(d.key), value: d.rate === null ? 0 : Math.round(d.rate * 1000) / 10, shown: percent(d.rate) }))}
          head={[STATISTICS_NAMES.deadline, STATISTICS_NAMES.inTimeOfSettled, STATISTICS_NAMES.rate]}
          rows={s.onTime.map((d) => ({ key: d.key, cells: [deadlineName(d.key), `${d.inTime} / ${d.settled}`, percent(d.rate)] }))}
        />
        <BarFigure
          id="byItem"
          title={STATISTICS_NAMES.byItem}
          bars={counts(items)}
          head={[STATISTICS_NAMES.item, STATISTICS_NAMES.cases]}
          rows={items.map((i) => ({ key: i.key, cells: [<span key={i.key} title={i.text}>{i.label}{i.text ? `　${i.text}` : ''}</span>, i.cases] }))}
        />
        <BarFigure id="byUnit" title={STATISTICS_NAMES.byUnit} bars={counts(units)} head={[STATISTICS_NAMES.unit, STATISTICS_NAMES.cases]} rows={units.map((u) => ({ key: u.key, cells: [u.label, u.cases] }))} />
        <BarFigure id="byJurisdiction" title={STATISTICS_NAMES.byJurisdiction} bars={counts(jurisdictions)} head={[STATISTICS_NAMES.jurisdiction, STATISTICS_NAMES.cases]} rows={jurisdictions.map((j) => ({ key: j.key, cells: [j.label, j.cases] }))} />
      </div>
      </Suspense>
    </>
  );
}

/** Each subordinate authority's main figures and their total, as a chart of its cases with the table beside it. */
function Subordinates({ subordinates, total }: { subordinates: (SubordinateAuthority & LedgerStatistics)[]; total: LedgerStatistics }) {
  const row = (key: string, name: string, f: LedgerStatistics) => ({ key, cells: [name, f.cases, f.applications, f.exOfficio, ...OUTCOMES.map(([o]) => f.outcomes[o] ?? 0)] });
  return (
    <BarFigure
      id="bySubordinate"
      title={STATISTICS_NAMES.bySubordinate}
      bars={subordinates.map((s) => ({ label: s.name, value: s.cases, shown: `${s.cases} ${STATISTICS_NAMES.caseUnit}` }))}
      head={[STATISTICS_NAMES.authority, '启动件数', '本人申请', '依职权启动', ...OUTCOMES.map(([, name]) => `认定${name}`)]}
      rows={[...subordinates.map((s) => row(s.authority, s.name, s)), row('total', STATISTICS_NAMES.total, total)]}
    />
  );
}

export function StatisticsPage() {
  const [period, setPeriod] = useState({ from: monthsAgo(3), to: today() });
  // '' the caller's own authority; 'subordinates' each below it and their total; else one of them by id.
  const [scope, setScope] = useState('');
  const [below, setBelow] = useState<SubordinateAuthority[]>([]);
  const query = { ...period, ...(scope === 'subordinates' ? { scope: 'subordinates' as const } : scope ? { authority: scope } : {}) };
  const stats = useAsync(async () => {
    const answer = await ledgerApi.statistics(query);
    setBelow(answer.subordinateAuthorities);
    return answer;
  }, [period.from, period.to, scope]);
  const s = stats.data;
  return (
    <>
      <PageTitle>统计</PageTitle>
      <Period from={period.from} to={period.to} onChange={(from, to) => setPeriod({ from, to })} />
      {below.length > 0 && (
        <div className="field">
          <label htmlFor="statistics-scope">{STATISTICS_NAMES.scope}</label>
          <select id="statistics-scope" value={scope} onChange={(e) => setScope(e.target.value)}>
            <option value="">{STATISTICS_NAMES.ownScope}</option>
            <option value="subordinates">{STATISTICS_NAMES.subordinatesScope}</option>
            {below.map((a) => <option key={a.authority} value={a.authority}>{a.name}</option>)}
          </select>
        </div>
      )}
      {stats.loading && <Loading what="统计" />}
      {stats.error && <ErrorNote>{stats.error}</ErrorNote>}
      {s && s.scope === 'subordinates' && (
        <Suspense fallback={<Loading what="统计图" />}>
          <Subordinates subordinates={s.subordinates} total={s.total} />
          <h2>{STATISTICS_NAMES.total}</h2>
          <Figures s={s.total} />
        </Suspense>
      )}
      {s && s.scope !== 'subordinates' && (
        <>
          {s.name && <h2>{s.name}</h2>}
          <Figures s={s} />
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
