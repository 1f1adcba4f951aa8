/**
 * 规则管理: a deploying body's own 办法 put in force without a developer. The
 * rulebook administrator uploads a version (its YAML or JSON file) with the
 * regulation's full text; the API checks it and answers every problem with its
 * place in the file, shown here with the line it is on. A submitted version is
 * compared with the one in force, tried in a dry run (its deadlines and
 * documents as tables), and approved by another person from a day. Every act
 * is in the audit trail below.
 */
import { useMemo, useState, type ChangeEvent } from 'react';
import { api, ApiError, type DryRun, type RulebookDiff, type RulebookProblem, type RulebookVersion, type RulebookVersionDetail } from '../api';
import { addDays, beijingToday, chineseDate, chineseDateTime } from '../format';
import { OUTCOME_NAMES, nameOf } from '../labels';
import { ErrorNote, Loading, PageTitle, useAsync } from '../util';

const UNIT: Record<string, string> = { workingDays: '个工作日', days: '日', months: '个月' };
const STATUS: Record<string, string> = { submitted: '待批准', approved: '已批准', withdrawn: '已撤回' };
const CHECK: Record<string, string> = {
  syntax: '文件格式',
  schema: '规则格式',
  unknownField: '未知字段',
  quote: '引文核对',
  reference: '引用关系',
  deadline: '期限',
  choice: '自定事项',
  version: '版本',
  source: '条文文件',
  inForce: '生效日期',
};
const ACTION: Record<string, string> = {
  submitted: '提交',
  refused: '提交被拒',
  checked: '检查',
  simulated: '试运行',
  approved: '批准生效',
  approvalRefused: '批准被拒',
  withdrawn: '撤回',
  bound: '绑定机关',
  unbound: '解除绑定',
};
const CATALOGUE: Record<string, string> = { eligible: '容错情形', mitigating: '从轻、减轻情形', excluded: '不予免责情形', conditions: '容错条件' };
const CHANGE: Record<string, string> = { added: '新增', removed: '删除', changed: '修改' };

const period = (p?: { amount: number; unit: string }) => (p ? `${p.amount}${UNIT[p.unit] ?? p.unit}` : '—');
const inForceText = (v: { inForceFrom: string | null; inForceUntil: string | null }) =>
  v.inForceFrom ? `${chineseDate(v.inForceFrom)} 起${v.inForceUntil ? `至 ${chineseDate(v.inForceUntil)}` : ''}` : '—';

/** The problems of a file, each with its place and the line it stands on, after an error summary (GOV.UK). */
function Problems({ problems, text, title }: { problems: RulebookProblem[]; text?: string; title: string }) {
  const lines = text?.split('\n') ?? [];
  return (
    <section className="card problems" role="alert" aria-labelledby="problems">
      <h2 id="problems">{title}</h2>
      <ol>
        {problems.map((p, i) => (
          <li key={i} data-path={p.path}>
            <strong>{p.path || '（整个文件）'}</strong>
            {p.line ? <span className="badge">第 {p.line} 行</span> : null}
            <span className="badge amber">{CHECK[p.check] ?? p.check}</span>
            {p.article ? <span className="badge">{p.article}</span> : null}
            <div>{p.zh}</div>
            {p.line && lines[p.line - 1] !== undefined ? (
              <pre className="file-line" aria-label={`文件第 ${p.line} 行`}>
                <span className="muted">{p.line}</span> {lines[p.line - 1]}
              </pre>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

async function readFile(e: ChangeEvent<HTMLInputElement>): Promise<{ name: string; text: string } | undefined> {
  const file = e.target.files?.[0];
  return file ? { name: file.name, text: await file.text() } : undefined;
}

/** `onChecked`: after every upload, taken or refused (both are in the audit trail). */
function Upload({ onSubmitted, onChecked }: { onSubmitted: (v: RulebookVersionDetail) => void; onChecked: () => void }) {
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [regulation, setRegulation] = useState<{ name: string; text: string }>();
  const [problems, setProblems] = useState<RulebookProblem[]>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (!file || !regulation) return;
    setBusy(true);
    setProblems(undefined);
    setError(undefined);
    setDone(undefined);
    try {
      const stored = await api.submitRulebook(file, regulation);
      setDone(`已提交 ${stored.jurisdiction} ${stored.version} 第 ${stored.revision} 次修订，全部检查通过，待另一人批准。`);
      onSubmitted(stored);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const listed = (err.problem.errors ?? []) as RulebookProblem[];
      if (err.problem.code === 'rulebook_invalid' && listed.length) setProblems(listed);
      else setError(err.problem.detail);
    } finally {
      setBusy(false);
      onChecked();
    }
  }

  return (
    <section className="card" aria-labelledby="upload">
      <h2 id="upload">提交新版本</h2>
      <p className="hint">
        规则文件（YAML 或 JSON，格式见 <a href="/v1/rulebooks/schema">/v1/rulebooks/schema</a>）须与办法全文一并提交：每一处引文都须能在全文中逐字找到。
      </p>
      <div className="field">
        <label htmlFor="rulebook-file">规则文件</label>
        <input id="rulebook-file" type="file" accept=".yaml,.yml,.json" onChange={(e) => void readFile(e).then(setFile)} />
      </div>
      <div className="field">
        <label htmlFor="regulation-file">办法全文（文本文件，文件名即规则中的 source）</label>
        <input id="regulation-file" type="file" accept=".txt,text/plain" onChange={(e) => void readFile(e).then(setRegulation)} />
      </div>
      <button type="button" className="primary" disabled={busy || !file || !regulation} onClick={() => void submit()}>
        提交检查
      </button>
      {done ? (
        <p role="status" className="ok">
          {done}
        </p>
      ) : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      {problems ? <Problems problems={problems} text={file?.text} title={`规则文件有 ${problems.length} 处问题，未提交`} /> : null}
    </section>
  );
}

function DryRunResult({ run }: { run: DryRun }) {
  return (
    <section aria-labelledby="dry-run-result" className="card" role="status">
      <h3 id="dry-run-result">
        试运行结果：{chineseDate(run.openingDate)} 立案，{run.completed ? `办结（${nameOf(OUTCOME_NAMES, run.outcome)}）` : '未办结'}
      </h3>
      {run.stoppedAt ? <p className="warning">停在“{run.stoppedAt.stage}”：{run.stoppedAt.reason}{run.stoppedAt.refusal ? `：${run.stoppedAt.refusal.message}` : ''}</p> : null}
      <table aria-label="试运行的期限">
        <caption>期限</caption>
        <thead>
          <tr>
            <th scope="col">期限</th>
            <th scope="col">起算日</th>
            <th scope="col">期间</th>
            <th scope="col">最后一日</th>
            <th scope="col">依据</th>
          </tr>
        </thead>
        <tbody>
          {run.deadlines.map((d) => (
            <tr key={d.key} data-key={d.key}>
              <th scope="row">{d.label}</th>
              <td>{chineseDate(d.from)}</td>
              <td>{period(d)}</td>
              <td>
                {chineseDate(d.lastDay)}
                {d.provisional ? '（暂定）' : ''}
              </td>
              <td title={d.quote}>{d.article}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table aria-label="试运行的文书">
        <caption>文书</caption>
        <thead>
          <tr>
            <th scope="col">文书</th>
            <th scope="col">文号（试运行）</th>
            <th scope="col">制发日</th>
            <th scope="col">依据</th>
          </tr>
        </thead>
        <tbody>
          {run.documents.map((d) => (
            <tr key={d.number}>
              <th scope="row">{d.title}</th>
              <td>{d.number}</td>
              <td>{chineseDate(d.issuedOn)}</td>
              <td>{d.article}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {run.refusals.length ? (
        <ul aria-label="样例的拒绝理由">
          {run.refusals.map((r, i) => (
            <li key={i}>
              {r.label ?? r.action}：{r.notOffered ? '本路径上不会办理此步骤' : r.refused ? `拒绝（${r.article ?? ''}）${r.message ?? ''}` : '接受'}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="muted">步骤：{run.steps.map((s) => `${s.label}（${chineseDate(s.on)}）`).join(' → ')}</p>
    </section>
  );
}

function Diff({ diff }: { diff: RulebookDiff }) {
  const nothing = !diff.periods.length && !diff.catalogues.length && !diff.effects.length && !diff.steps.added.length && !diff.steps.removed.length && !diff.steps.changed.length;
  return (
    <section aria-labelledby="diff" className="card">
      <h3 id="diff">
        与现行的 {diff.from.version} 第 {diff.from.revision} 次修订相比
      </h3>
      {nothing ? <p>步骤、期限、情形和效果均无变化。</p> : null}
      {diff.periods.length ? (
        <table aria-label="期限的变化">
          <caption>期限</caption>
          <thead>
            <tr>
              <th scope="col">步骤</th>
              <th scope="col">变化</th>
              <th scope="col">原</th>
              <th scope="col">新</th>
            </tr>
          </thead>
          <tbody>
            {diff.periods.map((p) => (
              <tr key={p.path}>
                <th scope="row">{p.label}</th>
                <td>{CHANGE[p.change] ?? p.change}</td>
                <td>{p.from ? `${period(p.from)}（${p.from.article}）` : '—'}</td>
                <td>{p.to ? `${period(p.to)}（${p.to.article}）` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {diff.catalogues.length ? (
        <table aria-label="情形的变化">
          <caption>情形</caption>
          <thead>
            <tr>
              <th scope="col">目录</th>
              <th scope="col">变化</th>
              <th scope="col">条款与内容</th>
            </tr>
          </thead>
          <tbody>
            {diff.catalogues.map((c) => (
              <tr key={`${c.catalogue}-${c.id}`}>
                <th scope="row">{CATALOGUE[c.catalogue] ?? c.catalogue}</th>
                <td>{CHANGE[c.change] ?? c.change}</td>
                <td>{(c.to ?? c.from) ? `${(c.to ?? c.from)!.article} ${(c.to ?? c.from)!.text}` : c.id}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {diff.effects.length ? (
        <ul aria-label="效果的变化">
          {diff.effects.map((e, i) => (
            <li key={i}>
              {nameOf(OUTCOME_NAMES, e.outcome)}：{CHANGE[e.change] ?? e.change}“{e.text}”（{e.article}）
            </li>
          ))}
        </ul>
      ) : null}
      {diff.steps.added.length || diff.steps.removed.length || diff.steps.changed.length ? (
        <ul aria-label="步骤的变化">
          {diff.steps.added.map((s) => (
            <li key={`a-${s.stage}`}>新增步骤：{s.label}</li>
          ))}
          {diff.steps.removed.map((s) => (
            <li key={`r-${s.stage}`}>删除步骤：{s.label}</li>
          ))}
          {diff.steps.changed.map((s) => (
            <li key={`c-${s.stage}`}>
              修改步骤：{s.label}（{s.changes.map((c) => c.path).join('、')}）
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function VersionPanel({ id, onChanged }: { id: string; onChanged: () => Promise<void> }) {
  const version = useAsync(() => api.getRulebookVersion(id), [id]);
  const tomorrow = addDays(beijingToday(), 1);
  const [openingDate, setOpeningDate] = useState(tomorrow);
  const [outcome, setOutcome] = useState('main');
  const [run, setRun] = useState<DryRun>();
  const [diff, setDiff] = useState<RulebookDiff>();
  const [from, setFrom] = useState(tomorrow);
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();

  async function doing(what: string, work: () => Promise<void>) {
    setBusy(what);
    setError(undefined);
    setMessage(undefined);
    try {
      await work();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setError(err.problem.detail);
    } finally {
      setBusy(undefined);
    }
  }

  const v = version.data;
  const outcomes = useMemo(() => v?.rulebook.steps.find((s) => s.kind === 'deliberation')?.outcomes ?? [], [v]);
  if (version.error) return <ErrorNote>{version.error}</ErrorNote>;
  if (!v) return <Loading what="版本" />;
  return (
    <section aria-labelledby="version" className="card">
      <h2 id="version">
        {v.rulebook.name}（{v.version} 第 {v.revision} 次修订）
      </h2>
      <p>
        状态：<strong>{STATUS[v.status] ?? v.status}</strong>；生效：{inForceText(v)}
        {v.submittedBy ? `；提交人：${v.submittedBy.name}（${v.submittedBy.sub}）` : '；随软件发布'}
        {v.approvedBy ? `；批准人：${v.approvedBy.name}（${v.approvedBy.sub}）` : ''}
      </p>

      <h3>与现行版本比较</h3>
      <button type="button" disabled={!!busy} onClick={() => void doing('diff', async () => setDiff(await api.compareRulebooks(id)))}>
        比较差异
      </button>
      {diff ? <Diff diff={diff} /> : null}

      <h3>试运行</h3>
      <p className="hint">在独立的时间跳跃引擎和临时档案上按本版本办理一件试运行案件，使用正式的法定节假日安排，不触及任何真实案件。</p>
      <div className="row">
        <div className="field">
          <label htmlFor="opening-date">立案日</label>
          <input id="opening-date" type="date" min={beijingToday()} value={openingDate} onChange={(e) => setOpeningDate(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="dry-run-path">路径</label>
          <select id="dry-run-path" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="main">主路径（依申请、予以容错、不申诉）</option>
            {outcomes.map((o) => (
              <option key={o} value={o}>
                认定为{nameOf(OUTCOME_NAMES, o)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button
        type="button"
        className="primary"
        disabled={!!busy}
        onClick={() => void doing('run', async () => setRun(await api.simulateRulebook(id, { openingDate, path: outcome === 'main' ? 'main' : { outcome } })))}
      >
        {busy === 'run' ? '试运行中…' : '试运行'}
      </button>
      {run ? <DryRunResult run={run} /> : null}

      {v.status === 'submitted' ? (
        <>
          <h3>批准生效</h3>
          <p className="hint">须由提交人以外的另一名规则管理员批准；自生效日起本辖区新立案件依本版本办理，已立案件仍依立案时的版本。</p>
          <div className="row">
            <div className="field">
              <label htmlFor="in-force-from">生效日期</label>
              <input id="in-force-from" type="date" min={beijingToday()} value={from} onChange={(e) => setFrom(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="in-force-until">失效日期（可选）</label>
              <input id="in-force-until" type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
            </div>
          </div>
          <button
            type="button"
            className="primary"
            disabled={!!busy}
            onClick={() =>
              void doing('approve', async () => {
                const approved = await api.approveRulebook(id, { inForceFrom: from, ...(until ? { inForceUntil: until } : {}) });
                setMessage(`已批准，自 ${chineseDate(approved.inForceFrom)} 起生效。`);
                await version.reload();
                await onChanged();
              })
            }
          >
            批准生效
          </button>
        </>
      ) : null}
      {v.origin !== 'file' && v.status !== 'withdrawn' ? (
        <>
          <h3>撤回</h3>
          <div className="field">
            <label htmlFor="withdraw-reason">撤回理由</label>
            <input id="withdraw-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <button
            type="button"
            disabled={!!busy || !reason.trim()}
            onClick={() =>
              void doing('withdraw', async () => {
                await api.withdrawRulebook(id, reason.trim());
                setMessage('已撤回。');
                await version.reload();
                await onChanged();
              })
            }
          >
            撤回此版本
          </button>
        </>
      ) : null}
      {message ? (
        <p role="status" className="ok">
          {message}
        </p>
      ) : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
    </section>
  );
}

function AuditTrail({ jurisdiction, refreshKey }: { jurisdiction?: string; refreshKey: number }) {
  const trail = useAsync(() => api.rulebookAudit(jurisdiction), [jurisdiction, refreshKey]);
  return (
    <section aria-labelledby="audit">
      <h2 id="audit">审计记录</h2>
      {trail.error ? <ErrorNote>{trail.error}</ErrorNote> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">时间</th>
            <th scope="col">操作</th>
            <th scope="col">辖区</th>
            <th scope="col">操作人</th>
          </tr>
        </thead>
        <tbody>
          {trail.data?.entries.slice(0, 50).map((e) => (
            <tr key={e.id}>
              <td>{chineseDateTime(e.at)}</td>
              <td>{ACTION[e.action] ?? e.action}</td>
              <td>{e.jurisdiction}</td>
              <td>
                {e.actor.name}（{e.actor.sub}）
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function RulebookAdmin() {
  const versions = useAsync(() => api.listRulebookVersions(), []);
  const [selected, setSelected] = useState<string>();
  const [refreshKey, setRefreshKey] = useState(0);
  const changed = async () => {
    await versions.reload();
    setRefreshKey((k) => k + 1);
  };
  const list: RulebookVersion[] = versions.data?.versions ?? [];
  return (
    <>
      <PageTitle>规则管理</PageTitle>
      <section aria-labelledby="versions">
        <h2 id="versions">规则版本</h2>
        {versions.error ? <ErrorNote>{versions.error}</ErrorNote> : null}
        {versions.loading && !versions.data ? <Loading what="规则版本" /> : null}
        <table>
          <thead>
            <tr>
              <th scope="col">辖区</th>
              <th scope="col">版本</th>
              <th scope="col">状态</th>
              <th scope="col">生效</th>
              <th scope="col">文件</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <tr key={v.versionId} data-version={v.versionId} className={v.status === 'withdrawn' ? 'done' : ''}>
                <th scope="row">{v.jurisdiction}</th>
                <td>
                  {v.version} 第 {v.revision} 次修订
                </td>
                <td>{v.origin === 'file' ? '随软件发布' : (STATUS[v.status] ?? v.status)}</td>
                <td>{inForceText(v)}</td>
                <td>{v.fileName}</td>
                <td>
                  <button type="button" aria-pressed={selected === v.versionId} onClick={() => setSelected(v.versionId)}>
                    查看<span className="sr-only"> {v.jurisdiction} {v.version} 第 {v.revision} 次修订</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <Upload
        onSubmitted={(v) => {
          void changed();
          setSelected(v.versionId);
        }}
        onChecked={() => setRefreshKey((k) => k + 1)}
      />
      {selected ? <VersionPanel key={selected} id={selected} onChanged={changed} /> : null}
      <AuditTrail refreshKey={refreshKey} />
    </>
  );
}
