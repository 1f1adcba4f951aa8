/**
 * The case file on the case page: its materials (upload with kind, title,
 * 来源, 调取过程 and the date of the original; each with both digests,
 * checked in the browser on download; withdrawal with a reason), the papers
 * the rulebook asks for and the case still lacks, and, once the case is
 * closed, the bound file (卷内文件目录 with page numbers, its PDF/A check,
 * the PDF and the export for the archives office).
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError, type BoundFileView, type CaseMaterial, type CaseView } from '../api';
import { chineseDate, chineseDateTime } from '../format';
import { ENUM_NAMES } from '../labels';
import { ErrorNote, saveBlob, sha256Hex, sm3Hex, useAsync } from '../util';

const KINDS: [string, string][] = [
  ['application', '申请书'],
  ['evidence', '证据材料'],
  ['investigationReport', '调查报告'],
  ['minutes', '会议纪要'],
  ['proofOfService', '送达回证'],
  ['other', '其他'],
];

const problemText = (err: unknown) => (err instanceof ApiError ? err.problem.detail : (err as Error).message);

/** Downloads a file and checks both digests in the browser against those the archive recorded. */
async function downloadChecked(path: string, accept: string): Promise<string> {
  const file = await api.caseFile(path, accept);
  const sha256 = await sha256Hex(file.blob);
  const sm3 = file.sm3 ? await sm3Hex(file.blob) : undefined;
  const differs = (sha256 !== undefined && file.sha256 && sha256 !== file.sha256) || (sm3 !== undefined && sm3 !== file.sm3);
  saveBlob(file.blob, file.filename);
  if (differs) return `不一致！下载文件为 SHA-256 ${sha256 ?? '—'}`;
  return sha256 !== undefined || sm3 !== undefined ? `已校验，与存档记录一致（${[sha256 !== undefined ? 'SHA-256' : '', sm3 !== undefined ? 'SM3' : ''].filter(Boolean).join('、')}）` : '浏览器无法在非 HTTPS 连接下校验';
}

export function Materials({ state, materials, onChange, rulebookKinds }: { state: CaseView; materials: CaseMaterial[]; onChange: () => void; rulebookKinds: { id: string; label: string }[] }) {
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [kind, setKind] = useState('application');
  const [withdrawing, setWithdrawing] = useState<string>();
  const kinds = [...KINDS, ...rulebookKinds.filter((k) => !KINDS.some(([id]) => id === k.id)).map((k) => [k.id, k.label] as [string, string])];

  async function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // Empty optional fields are left out, as the API takes them.
    for (const [k, v] of [...form.entries()]) if (v === '') form.delete(k);
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    try {
      await api.uploadMaterial(state.caseId, form);
      (event.target as HTMLFormElement).reset();
      setKind('application');
      onChange();
    } catch (err) {
      setError(problemText(err));
      if (err instanceof ApiError) setFieldErrors(Object.fromEntries((err.problem.errors ?? []).map((e) => [e.field.replace(/^body\./, ''), e.message])));
    } finally {
      setBusy(false);
    }
  }

  async function withdraw(event: FormEvent<HTMLFormElement>, id: string) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '');
    try {
      await api.withdrawMaterial(id, reason);
      setWithdrawing(undefined);
      onChange();
    } catch (err) {
      setError(problemText(err));
    }
  }

  const mayUpload = !state.closed;
  const missing = state.papers?.missing ?? [];
  return (
    <section aria-labelledby="materials" className="materials">
      <h2 id="materials">案卷材料</h2>
      {missing.length ? (
        <div className="warning" role="status" data-testid="papers-missing">
          尚缺书面材料：
          <ul>
            {missing.map((m) => (
              <li key={m.requirement}>
                {m.label}（{ENUM_NAMES.step?.[m.step] ?? m.step}{m.article ? `，${m.article}` : ''}）
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {materials.length === 0 ? <p>案卷中尚无材料。</p> : null}
      {materials.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">材料</th>
              <th scope="col">来源、调取过程</th>
              <th scope="col">原件日期</th>
              <th scope="col">上传</th>
              <th scope="col">摘要（SHA-256、SM3）</th>
              <th scope="col" className="no-print">操作</th>
            </tr>
          </thead>
          <tbody>
            {materials.map((m) => (
              <tr key={m.materialId} data-material={m.materialId} className={m.withdrawal ? 'withdrawn' : undefined}>
                <th scope="row">
                  {m.kindLabel}《{m.title}》<span className="muted">（{m.format.toUpperCase()}，{Math.ceil(m.sizeBytes / 1024)} KB）</span>
                  {m.withdrawal ? (
                    <div className="badge amber">
                      已撤回：{m.withdrawal.by.name}于 {chineseDateTime(m.withdrawal.at)}，理由：{m.withdrawal.reason}
                    </div>
                  ) : null}
                </th>
                <td>
                  {m.source ?? '—'}
                  {m.obtainedBy ? <div className="muted">{m.obtainedBy}</div> : null}
                </td>
                <td>{m.originalDate ? chineseDate(m.originalDate) : '—'}</td>
                <td>
                  {m.uploadedBy.name}
                  <div className="muted">{chineseDateTime(m.uploadedAt)}</div>
                </td>
                <td>
                  <code className="hash">{m.sha256}</code>
                  <br />
                  <span className="muted">SM3：</span>
                  <code className="hash">{m.sm3}</code>
                  {checked[m.materialId] ? <span role="status" className="muted"> {checked[m.materialId]}</span> : null}
                </td>
                <td className="no-print">
                  {m.withdrawal ? null : (
                    <>
                      <button type="button" onClick={() => void downloadChecked(m.href, m.mediaType).then((r) => setChecked((c) => ({ ...c, [m.materialId]: r })), (err) => setError(problemText(err)))}>
                        下载<span className="sr-only">：{m.title}</span>
                      </button>{' '}
                      {mayUpload ? (
                        withdrawing === m.materialId ? (
                          <form onSubmit={(e) => void withdraw(e, m.materialId)} className="inline">
                            <label>
                              撤回理由 <input name="reason" required maxLength={1000} />
                            </label>{' '}
                            <button type="submit">确认撤回</button>
                          </form>
                        ) : (
                          <button type="button" onClick={() => setWithdrawing(m.materialId)}>
                            撤回<span className="sr-only">：{m.title}</span>
                          </button>
                        )
                      ) : null}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {mayUpload ? (
        <form className="upload no-print" onSubmit={(e) => void upload(e)} aria-label="上传材料">
          <h3>上传材料</h3>
          <p className="muted">接受 PDF、JPEG、PNG、TIFF、Word（.docx）、OFD 文件，按文件内容识别；证据材料须写明来源和调取过程。</p>
          <label>
            材料类别{' '}
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              {kinds.map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label>
            题名 <input name="title" required maxLength={200} aria-invalid={Boolean(fieldErrors.title)} />
          </label>
          <label>
            来源 <input name="source" maxLength={500} required={kind === 'evidence'} aria-invalid={Boolean(fieldErrors.source)} />
            {fieldErrors.source ? <span className="field-error">{fieldErrors.source}</span> : null}
          </label>
          <label>
            调取过程 <textarea name="obtainedBy" maxLength={2000} required={kind === 'evidence'} aria-invalid={Boolean(fieldErrors.obtainedBy)} />
            {fieldErrors.obtainedBy ? <span className="field-error">{fieldErrors.obtainedBy}</span> : null}
          </label>
          <label>
            原件日期 <input name="originalDate" type="date" />
          </label>
          <label>
            文件 <input name="file" type="file" required aria-invalid={Boolean(fieldErrors.file)} />
            {fieldErrors.file ? <span className="field-error">{fieldErrors.file}</span> : null}
          </label>
          <button type="submit" disabled={busy}>
            {busy ? '上传中…' : '上传'}
          </button>
        </form>
      ) : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
    </section>
  );
}

export function BoundFile({ caseId }: { caseId: string }) {
  const bound = useAsync<BoundFileView | undefined>(
    () =>
      api.boundFile(caseId).catch((err: unknown) => {
        if (err instanceof ApiError && err.problem.code === 'bound_file_pending') return undefined;
        throw err;
      }),
    [caseId],
  );
  const [checked, setChecked] = useState<string>();
  const [error, setError] = useState<string>();
  const file = bound.data;
  return (
    <section aria-labelledby="bound-file" className="bound-file">
      <h2 id="bound-file">装订案卷</h2>
      {bound.error ? <ErrorNote>{bound.error}</ErrorNote> : null}
      {!bound.error && !file && !bound.loading ? (
        <p role="status">
          案卷正在装订，请稍后{' '}
          <button type="button" onClick={() => void bound.reload()}>
            查看装订进度
          </button>
        </p>
      ) : null}
      {file ? (
        <>
          <p>
            《{file.contents.title}》：共 {file.pages} 页（卷内文件 {file.contents.numberedPages} 页），{chineseDateTime(file.boundAt)} 装订，立卷人 {file.contents.boundBy}。
          </p>
          <p className={file.validation.compliant ? 'ok' : 'warning'} data-testid="pdfa-check">
            {file.validation.profile} 校验（{file.validation.validator}）：{file.validation.compliant ? '通过' : `未通过：${file.validation.failures.join('；')}`}
          </p>
          <p>
            SHA-256：<code className="hash">{file.sha256}</code>
            <br />
            SM3：<code className="hash">{file.sm3}</code>
            {checked ? <span role="status" className="muted"> {checked}</span> : null}
          </p>
          <table className="contents">
            <caption>卷内文件目录</caption>
            <thead>
              <tr>
                {['序号', '文号', '责任者', '题名', '日期', '页号'].map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {file.contents.items.map((item, i) => (
                <tr key={item.id} data-item={item.id}>
                  <td>{item.sequence}</td>
                  <td>{item.reference}</td>
                  <td>{item.responsible}</td>
                  <td>{item.title}</td>
                  <td>{item.date.replace(/-/g, '')}</td>
                  <td className="page">{i === file.contents.items.length - 1 && item.lastPage !== item.firstPage ? `${item.firstPage}-${item.lastPage}` : item.firstPage}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {file.contents.withdrawn.length ? <p className="muted">撤回未装订：{file.contents.withdrawn.map((w) => `《${w.title}》（${w.by}：${w.reason}）`).join('；')}</p> : null}
          <div className="no-print actions">
            <button type="button" onClick={() => void downloadChecked(`/v1/cases/${encodeURIComponent(caseId)}/bound-file`, 'application/pdf').then(setChecked, (err) => setError(problemText(err)))}>
              下载装订案卷（PDF/A）
            </button>{' '}
            <button type="button" onClick={() => void api.caseFile(`/v1/cases/${encodeURIComponent(caseId)}/export`, 'application/zip').then((f) => saveBlob(f.blob, f.filename), (err) => setError(problemText(err)))}>
              导出移交包（zip）
            </button>
          </div>
        </>
      ) : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
    </section>
  );
}
