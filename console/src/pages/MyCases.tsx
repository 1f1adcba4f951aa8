/**
 * A party's own pages (the role `party`): its cases, and of each what a party
 * may see (GET /v1/my/cases/{id}): the stage and outcome, its windows and the
 * authority's deadlines, the documents served on it, its filings with their
 * receipts (回执); and the filings it may make now, each a form. The day of
 * receipt is the day the filing reaches the system; the receipt comes at once,
 * and lands in the inbox too. A refusal (out of time) shows with its article.
 */
import { useState } from 'react';
import { Link } from 'wouter';
import { api, ApiError, newIdempotencyKey, type PartyCaseView, type Receipt, type WorkItem } from '../api';
import { beijingToday, chineseDate, chineseDateTime } from '../format';
import { FILING_NAMES, FILING_OF_ACTION, OUTCOME_NAMES, PARTY_NAMES, STAGE_FALLBACK, nameOf } from '../labels';
import { ErrorNote, Loading, PageTitle, saveBlob, sha256Hex, useAsync } from '../util';

export function MyCases() {
  const list = useAsync(() => api.myCases(), []);
  return (
    <>
      <PageTitle>我的案件</PageTitle>
      <p className="muted">这里只列出您本人（或您所在单位）作为当事人的案件。</p>
      {list.error ? <ErrorNote>{list.error}</ErrorNote> : null}
      {list.loading && !list.data ? <Loading what="案件" /> : null}
      {list.data?.cases.length === 0 ? <p>您的账户尚未绑定到任何案件。</p> : null}
      {list.data?.cases.length ? (
        <table className="cases my-cases">
          <caption className="sr-only">我的案件</caption>
          <thead>
            <tr>
              <th scope="col">案件</th>
              <th scope="col">我的身份</th>
              <th scope="col">阶段</th>
              <th scope="col">结果</th>
              <th scope="col">可以提交</th>
            </tr>
          </thead>
          <tbody>
            {list.data.cases.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link href={`/my/cases/${c.id}`}>{c.id}</Link>
                </td>
                <td>{nameOf(PARTY_NAMES, c.party)}</td>
                <td>{c.closed ? '已结案' : nameOf(STAGE_FALLBACK, c.stage)}</td>
                <td>{c.outcome ? nameOf(OUTCOME_NAMES, c.outcome) : '尚未作出'}</td>
                <td>{c.openFilings.map((f) => `${FILING_NAMES[FILING_OF_ACTION[f.action] ?? ''] ?? f.label}${f.deadline ? `（${chineseDate(f.deadline)}前）` : ''}`).join('、') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function ReceiptNote({ receipt }: { receipt: Receipt }) {
  if (receipt.status === 'refused') {
    return (
      <p className="refusal" role="alert">
        {FILING_NAMES[receipt.kind]}（{chineseDateTime(receipt.receivedAt)} 送达）未被受理：{receipt.refusal?.detail}
      </p>
    );
  }
  return (
    <p className="ok receipt" role="status">
      回执编号 <strong className="receipt-number">{receipt.number ?? '（生成中）'}</strong>：您的{FILING_NAMES[receipt.kind]}已于 {chineseDateTime(receipt.receivedAt)} 送达本系统，收到日期 {chineseDate(receipt.receivedOn)}。回执已发送到您的收件箱。
    </p>
  );
}

function FilingForm({ caseId, filing, onFiled }: { caseId: string; filing: WorkItem; onFiled: () => Promise<void> }) {
  const kind = FILING_OF_ACTION[filing.action]!;
  const [summary, setSummary] = useState('');
  const [key] = useState(newIdempotencyKey);
  const [error, setError] = useState<string>();
  const [receipt, setReceipt] = useState<Receipt>();
  const [busy, setBusy] = useState(false);
  const id = `filing-${kind}`;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      setReceipt((await api.fileOwn(caseId, kind, summary, key)).receipt);
      await onFiled();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const field = err.problem.errors?.[0];
      setError(field ? `${field.message}` : `${err.problem.detail}${err.problem.basis?.article && !err.problem.detail.includes(err.problem.basis.article) ? `（${err.problem.basis.article}）` : ''}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card filing" data-filing={kind} onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>在线提交{FILING_NAMES[kind]}</h3>
      <p className="hint">
        {filing.deadline ? `期限最后一日 ${chineseDate(filing.deadline)}（24时届满）${filing.article ? `，依据${filing.article}` : ''}。` : ''}以送达本系统之日（北京时间，今日为 {chineseDate(beijingToday())}）为收到日期。
      </p>
      <div className="field">
        <label htmlFor={id}>{FILING_NAMES[kind]}内容</label>
        <textarea id={id} rows={6} maxLength={5000} value={summary} onChange={(e) => setSummary(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
        {error ? (
          <span className="field-error refusal" id={`${id}-error`} role="alert">
            {error}
          </span>
        ) : null}
      </div>
      <button type="submit" className="primary" disabled={busy || receipt !== undefined}>
        提交
      </button>
      {receipt ? <ReceiptNote receipt={receipt} /> : null}
    </form>
  );
}

function ServedDocuments({ view }: { view: PartyCaseView }) {
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  async function download(d: PartyCaseView['documents'][number]) {
    try {
      const file = await api.document(d.documentId, 'docx', d.href);
      const sha256 = await sha256Hex(file.blob);
      setChecked((c) => ({ ...c, [d.documentId]: sha256 === undefined ? '浏览器无法在非 HTTPS 连接下校验' : sha256 === file.sha256 ? '已校验，与存档记录一致' : '不一致！' }));
      saveBlob(file.blob, file.filename);
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail : (err as Error).message);
    }
  }
  return (
    <section aria-labelledby="served" className="documents">
      <h2 id="served">送达给我的文书</h2>
      {view.documents.length === 0 ? <p>尚无送达给您的文书。</p> : null}
      <ul>
        {view.documents.map((d) => (
          <li key={d.documentId}>
            {d.title} {d.number}（{chineseDateTime(d.issuedAt)}，{d.article}）{' '}
            <button type="button" onClick={() => void download(d)}>
              下载<span className="sr-only">：{d.title}</span>
            </button>
            {checked[d.documentId] ? <span role="status" className="muted"> {checked[d.documentId]}</span> : null}
          </li>
        ))}
      </ul>
      {error ? <ErrorNote>{error}</ErrorNote> : null}
    </section>
  );
}

export function MyCase({ id }: { id: string }) {
  const view = useAsync(() => api.myCase(id), [id]);
  if (view.error && !view.data) {
    return (
      <>
        <PageTitle>我的案件</PageTitle>
        <ErrorNote>{view.error}</ErrorNote>
        <p>
          <Link href="/">返回我的案件</Link>
        </p>
      </>
    );
  }
  if (!view.data) return <Loading what="案件" />;
  const v = view.data;
  return (
    <article className="case party-case">
      <PageTitle>{`案件 ${v.caseId}`}</PageTitle>
      <dl className="summary">
        <dt>我的身份</dt>
        <dd>{nameOf(PARTY_NAMES, v.party)}</dd>
        <dt>阶段</dt>
        <dd className="stage">{v.closed ? '已结案' : nameOf(STAGE_FALLBACK, v.stage)}</dd>
        <dt>结果</dt>
        <dd className="outcome">{v.outcome ? nameOf(OUTCOME_NAMES, v.outcome) : '尚未作出'}</dd>
        <dt>事项</dt>
        <dd>{v.matter}</dd>
        <dt>问责文书</dt>
        <dd>{v.accountability.reference}</dd>
      </dl>
      <section aria-labelledby="my-deadlines" className="deadlines">
        <h2 id="my-deadlines">期限</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">期限</th>
              <th scope="col">最后一日</th>
              <th scope="col">状态</th>
              <th scope="col">依据</th>
            </tr>
          </thead>
          <tbody>
            {v.deadlines.map((d) => (
              <tr key={`${d.key}-${d.from}`}>
                <th scope="row">
                  {d.label}
                  <span className="muted">（{d.binds === 'party' ? '我的期限' : '机关期限'}）</span>
                </th>
                <td>{chineseDate(d.deadline)}</td>
                <td>{({ pending: '进行中', met: '已完成', lapsed: '已届满', superseded: '已被取代' } as Record<string, string>)[d.status] ?? d.status}</td>
                <td title={d.basis.quote}>{d.basis.article}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="can-file" className="filings no-print">
        <h2 id="can-file">可以在线提交</h2>
        {v.openFilings.length === 0 ? <p>当前没有可以由您在线提交的材料。</p> : null}
        {v.openFilings.map((f) => (
          <FilingForm key={f.action} caseId={v.caseId} filing={f} onFiled={view.reload} />
        ))}
      </section>
      <section aria-labelledby="receipts" className="receipts">
        <h2 id="receipts">我的提交与回执</h2>
        {v.receipts.length === 0 ? <p>尚无在线提交。</p> : null}
        {v.receipts.map((r) => (
          <ReceiptNote key={r.id} receipt={r} />
        ))}
      </section>
      <ServedDocuments view={v} />
      <p>
        <Link href="/inbox">收件箱（送达签收、回执）</Link>
      </p>
    </article>
  );
}
