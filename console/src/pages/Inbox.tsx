/**
 * 收件箱: the caller's notices. Acknowledging one records the day it was
 * served (送达); for a case's conclusion that is its service, from which the
 * appeal window counts, so the day is asked for, today by default.
 */
import { useState } from 'react';
import { Link } from 'wouter';
import { api, ApiError, type InboxNotice } from '../api';
import { beijingDay, beijingToday, chineseDate, chineseDateTime } from '../format';
import { PARTY_NAMES, fieldMessage, nameOf } from '../labels';
import { ErrorNote, Loading, PageTitle, useAsync } from '../util';

function Acknowledge({ notice, onDone }: { notice: InboxNotice; onDone: () => void }) {
  const [servedOn, setServedOn] = useState(beijingToday());
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = `served-${notice.id}`;

  async function acknowledge() {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.markServed(notice.id, servedOn);
      setResult(answer.caseService ? (answer.caseService.taken ? '已签收，案件已记录送达。' : `已签收；案件未记录：${answer.caseService.reason ?? ''}`) : '已签收。');
      onDone();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const field = err.problem.errors?.[0];
      setError(field ? fieldMessage(field.message) : err.problem.detail);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="ack">
      <label htmlFor={id}>送达日期</label>
      <input id={id} type="date" value={servedOn} min={beijingDay(notice.deliveredAt)} max={beijingToday()} onChange={(e) => setServedOn(e.target.value)} aria-invalid={error ? true : undefined} />
      <button type="button" className="primary" disabled={busy} onClick={() => void acknowledge()}>
        签收
      </button>
      {error ? <span className="field-error" role="alert">{error}</span> : null}
      {result ? <span role="status">{result}</span> : null}
    </div>
  );
}

export function Inbox() {
  const inbox = useAsync(() => api.inbox(), []);
  return (
    <>
      <PageTitle>收件箱</PageTitle>
      {inbox.error ? <ErrorNote>{inbox.error}</ErrorNote> : null}
      {inbox.loading && !inbox.data ? <Loading what="通知" /> : null}
      {inbox.data?.notices.length === 0 ? <p>没有通知。</p> : null}
      <ul className="notices">
        {inbox.data?.notices.map((n) => (
          <li key={n.id} className={n.servedOn ? 'served' : 'unserved'} data-notice={n.id}>
            <article aria-labelledby={`n-${n.id}`}>
              <h2 id={`n-${n.id}`}>
                {n.servedOn ? null : <span className="badge amber">未签收</span>} {n.subject}
              </h2>
              <p className="muted">
                <Link href={`/cases/${n.caseId}`}>{n.caseId}</Link> · {chineseDateTime(n.deliveredAt)}
                {n.service ? ` · 向${nameOf(PARTY_NAMES, n.service.party)}送达结论` : ''}
              </p>
              <p className="body">{n.body}</p>
              {n.servedOn ? <p>已于 {chineseDate(n.servedOn)} 签收。</p> : <Acknowledge notice={n} onDone={() => void inbox.reload()} />}
            </article>
          </li>
        ))}
      </ul>
    </>
  );
}
