/**
 * 访问日志 for the authority's auditors: who read the case, its documents and
 * notes, or decoded its payloads; when, from where, with what answer; newest
 * first, a hundred at a time, and the whole as CSV.
 */
import { useState } from 'react';
import { api, ApiError, type AccessRecord } from '../../api';
import { chineseDateTime } from '../../format';
import { ACCESS_EVENT_NAMES, ROLE_NAMES, nameOf } from '../../labels';
import { ErrorNote, saveBlob, useAsync } from '../../util';

export function AccessLog({ caseId }: { caseId: string }) {
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const before = pages[pages.length - 1];
  const log = useAsync(() => api.caseAccess(caseId, before), [caseId, before]);
  const [error, setError] = useState<string>();

  async function exportCsv() {
    try {
      saveBlob(await api.caseAccessCsv(caseId), `${caseId}-access-log.csv`);
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail : (err as Error).message);
    }
  }

  const who = (r: AccessRecord) => (r.sub ? `${r.name ?? ''}（${r.sub}${r.roles.length ? `，${r.roles.map((x) => ROLE_NAMES[x] ?? x).join('、')}` : ''}${r.authority ? `，${r.authority}` : ''}）` : '系统');
  return (
    <section aria-labelledby="access-log" className="access-log">
      <h2 id="access-log">访问日志</h2>
      <p className="no-print">
        <button type="button" onClick={() => void exportCsv()}>
          导出 CSV
        </button>
      </p>
      {log.error ? <ErrorNote>{log.error}</ErrorNote> : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      {log.data ? (
        <>
          <table>
            <caption className="sr-only">访问日志，第 {pages.length} 页</caption>
            <thead>
              <tr>
                <th scope="col">序号</th>
                <th scope="col">时间</th>
                <th scope="col">访问人</th>
                <th scope="col">操作</th>
                <th scope="col">来源地址</th>
                <th scope="col">应答</th>
              </tr>
            </thead>
            <tbody>
              {log.data.records.map((r) => (
                <tr key={r.seq} className={r.status >= 400 ? 'refused' : ''}>
                  <td>{r.seq}</td>
                  <td>{chineseDateTime(r.at)}</td>
                  <td>{who(r)}</td>
                  <td>
                    {nameOf(ACCESS_EVENT_NAMES, r.event)}
                    <span className="muted">（{r.operation}{r.documentId ? `，文书 ${r.documentId.slice(0, 8)}` : ''}）</span>
                  </td>
                  <td>
                    {r.address ?? '—'}
                    <div className="muted ua">{r.userAgent ?? ''}</div>
                  </td>
                  <td>{r.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav aria-label="访问日志翻页" className="pager no-print">
            <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
              较新
            </button>
            <button type="button" disabled={log.data.nextBefore === null} onClick={() => setPages([...pages, log.data!.nextBefore ?? undefined])}>
              较早
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}
