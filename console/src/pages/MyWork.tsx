/**
 * 我的待办: the steps that wait for the signed-in officer or supervisor now
 * (GET /v1/work), each with its case, its statutory last day, article and the
 * days left, overdue first (red), then the nearest; and apart, the steps of
 * the cases nobody holds, which an officer may claim (认领).
 */
import { useState } from 'react';
import { Link } from 'wouter';
import { api, ApiError, newIdempotencyKey, type WorkItem } from '../api';
import { chineseDate } from '../format';
import { STAGE_FALLBACK, nameOf } from '../labels';
import { session } from '../session';
import { ErrorNote, Loading, PageTitle, useAsync } from '../util';

const WHY: Record<WorkItem['why'], string> = { assigned: '承办', supervisor: '待审核领导', unassigned: '未指定承办人', party: '本人' };

function DaysLeft({ item }: { item: WorkItem }) {
  if (item.daysLeft === null) return <span className="muted">无法定期限</span>;
  if (item.overdue) return <span className="badge overdue">已逾期 {Math.abs(item.daysLeft)} 日</span>;
  if (item.daysLeft === 0) return <span className="badge amber">今日届满</span>;
  return <>{item.daysLeft} 日</>;
}

function WorkTable({ items, caption, claim }: { items: WorkItem[]; caption: string; claim?: (caseId: string) => void }) {
  return (
    <table className="work">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">案件</th>
          <th scope="col">待办步骤</th>
          <th scope="col">阶段</th>
          <th scope="col">最后一日</th>
          <th scope="col">依据</th>
          <th scope="col">剩余</th>
          <th scope="col">{claim ? '认领' : '缘由'}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((w) => (
          <tr key={`${w.caseId}.${w.action}`} className={w.overdue ? 'overdue' : ''} data-case={w.caseId} data-action={w.action}>
            <td>
              <Link href={`/cases/${w.caseId}`}>{w.caseId}</Link>
            </td>
            <th scope="row">{w.label}</th>
            <td>{nameOf(STAGE_FALLBACK, w.stage)}</td>
            <td>{w.deadline ? chineseDate(w.deadline) : '—'}</td>
            <td>{w.article ?? '—'}</td>
            <td>
              <DaysLeft item={w} />
            </td>
            <td>
              {claim ? (
                <button type="button" onClick={() => claim(w.caseId)}>
                  认领<span className="sr-only">：{w.caseId}</span>
                </button>
              ) : (
                WHY[w.why]
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MyWork() {
  const user = session.user();
  const work = useAsync(() => api.myWork(), []);
  const [claimError, setClaimError] = useState<string>();
  const [claimed, setClaimed] = useState<string>();

  async function claim(caseId: string) {
    setClaimError(undefined);
    try {
      await api.takeStep(caseId, 'claimCase', {}, newIdempotencyKey());
      setClaimed(caseId);
      await work.reload();
    } catch (err) {
      setClaimError(err instanceof ApiError ? err.problem.detail : (err as Error).message);
    }
  }
  // One step a case is enough to claim it: the first of each.
  const claimable = (work.data?.unassigned ?? []).filter((w, i, all) => all.findIndex((x) => x.caseId === w.caseId) === i);

  return (
    <>
      <PageTitle>我的待办</PageTitle>
      <p className="muted">
        {user?.name}，今天是 {work.data ? chineseDate(work.data.today) : '…'}。逾期的排在最前，其次按最后一日先后。
      </p>
      {work.error ? <ErrorNote>{work.error}</ErrorNote> : null}
      {work.loading && !work.data ? <Loading what="待办" /> : null}
      {work.data ? (
        <>
          <section aria-labelledby="mine">
            <h2 id="mine">等待我办理的步骤（{work.data.work.length}）</h2>
            {work.data.work.length === 0 ? <p>当前没有等待您办理的步骤。</p> : <WorkTable items={work.data.work} caption="等待我办理的步骤" />}
          </section>
          {user?.roles.includes('officer') ? (
            <section aria-labelledby="unassigned">
              <h2 id="unassigned">未指定承办人的案件（{claimable.length}）</h2>
              {claimed ? <p role="status" className="ok">已认领 {claimed}，其待办步骤已列入上表。</p> : null}
              {claimError ? <ErrorNote>{claimError}</ErrorNote> : null}
              {claimable.length === 0 ? <p>没有待认领的案件。</p> : <WorkTable items={claimable} caption="未指定承办人的案件" claim={(id) => void claim(id)} />}
            </section>
          ) : null}
          <p>
            <Link href="/dashboard">查看本机关全部办理中案件（工作台）</Link>
          </p>
        </>
      ) : null}
    </>
  );
}
