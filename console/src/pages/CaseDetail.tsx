/**
 * 案件详情: the case as the API shows this caller: stage and outcome; every
 * deadline with its last day, article and quoted text, provisional marked,
 * and the days skipped with why; the timeline; the documents with their
 * SHA-256; and the steps this caller may take now, each a form.
 */
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { api, ApiError, type CaseView, type RedactedCaseView, type Rulebook } from '../api';
import type { DeadlineRecord, LimitRecord } from '../../../domain/case/contract';
import { StepForm } from '../forms/StepForm';
import { JUST_OPENED } from './OpenCase';
import { BoundFile, Materials } from './CaseFile';
import { chineseDate, chineseDateTime } from '../format';
import { ACTIVITY_NAMES, EVENT_NAMES, OUTCOME_NAMES, PARTY_NAMES, ROLE_NAMES, STAGE_FALLBACK, nameOf, plainWords } from '../labels';
import { ErrorNote, Loading, PageTitle, saveBlob, sha256Hex, sm3Hex, useAsync } from '../util';
import { session } from '../session';
import { AccessLog } from './case/AccessLog';
import { Assignment } from './case/Assignment';
import { Notes } from './case/Notes';

/** Steps the case page offers in a section of their own (承办人), not as generated forms. */
const OWN_SECTION = new Set(['assignCase', 'claimCase']);

const STATUS: Record<DeadlineRecord['status'], string> = { pending: '进行中', met: '已完成', lapsed: '已届满', superseded: '已被取代' };
const UNIT: Record<string, string> = { workingDays: '个工作日', days: '日', months: '个月' };
const ACCOUNTABILITY: Record<string, string> = { proceeding: '问责程序进行中', suspended: '问责暂缓', stopped: '问责已停止' };

/** How often and how long the page follows a case that is settling (an effect running, its view moving). */
const FOLLOW_EVERY_MS = 1_000;
export const FOLLOW_FOR_SECONDS = 20;
/** An effect on its first attempt is the case at work; it is shown as a retry only after this long or after a failure. */
const SLOW_EFFECT_SECONDS = 30;

interface Following {
  until: number;
  lastVersion: number | undefined;
  /** Reads in a row that found the same version and nothing running. */
  still: number;
}

/** The effects worth telling the user about: those that failed at least once, or have run longer than SLOW_EFFECT_SECONDS. */
function troubled(state: CaseView, now: number) {
  return (state.pendingEffects ?? []).filter(
    (p) => p.attempt > 1 || p.lastFailure || (p.lastStartedAt && now - Date.parse(p.lastStartedAt) > SLOW_EFFECT_SECONDS * 1000),
  );
}

function stageName(rulebook: Rulebook | undefined, stage: string): string {
  return rulebook?.steps.find((s) => s.stage === stage)?.label ?? nameOf(STAGE_FALLBACK, stage);
}

function Basis({ basis }: { basis: { article: string; quote: string } }) {
  return (
    <details className="basis">
      <summary title={basis.quote}>{basis.article}</summary>
      <q>{basis.quote}</q>
    </details>
  );
}

function Skipped({ d }: { d: Pick<DeadlineRecord, 'skipped'> }) {
  if (!d.skipped?.length) return <>—</>;
  const weekends = d.skipped.filter((s) => s.reason === 'weekend').length;
  const holidays = d.skipped.filter((s) => s.reason === 'holiday');
  return (
    <details>
      <summary>
        跳过 {d.skipped.length} 日{holidays.length ? `（含节假日 ${holidays.length} 日）` : ''}
      </summary>
      <ul className="skipped">
        {weekends ? <li>周末 {weekends} 日</li> : null}
        {holidays.map((s) => (
          <li key={s.date}>
            {chineseDate(s.date)} {'name' in s && s.name ? s.name : '法定节假日'}
          </li>
        ))}
      </ul>
    </details>
  );
}

function Provisional({ d }: { d: { provisional: boolean; provisionalYears?: number[] | undefined } }) {
  if (!d.provisional) return null;
  return (
    <span className="badge amber" title="该年度国务院放假安排尚未载入，期限按法定节假日暂算，载入后自动重算">
      暂定{d.provisionalYears?.length ? `（${d.provisionalYears.join('、')}年放假安排未公布）` : ''}
    </span>
  );
}

function Deadlines({ state }: { state: CaseView }) {
  const limits: LimitRecord[] = state.limits ?? [];
  return (
    <section aria-labelledby="deadlines" className="deadlines">
      <h2 id="deadlines">期限</h2>
      {state.deadlines.length === 0 ? <p>暂无期限。</p> : null}
      {state.deadlines.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">期限</th>
              <th scope="col">起算日</th>
              <th scope="col">期间</th>
              <th scope="col">最后一日</th>
              <th scope="col">状态</th>
              <th scope="col">依据</th>
              <th scope="col">跳过的非工作日</th>
            </tr>
          </thead>
          <tbody>
            {state.deadlines.map((d) => {
              const overdue = d.status === 'lapsed' && d.binds === 'authority' && !d.metAt;
              return (
                <tr key={`${d.key}-${d.from}`} className={overdue ? 'overdue' : d.status === 'pending' ? '' : 'done'}>
                  <th scope="row">
                    {d.label}
                    <span className="muted">（{d.binds === 'authority' ? '机关期限' : '当事人期限'}）</span>
                  </th>
                  <td>{chineseDate(d.from)}</td>
                  <td>
                    {d.amount}
                    {UNIT[d.unit] ?? d.unit}
                  </td>
                  <td className="last-day">
                    <strong>{chineseDate(d.deadline)}</strong> <Provisional d={d} />
                  </td>
                  <td>
                    {overdue ? <span className="badge overdue">已逾期</span> : STATUS[d.status]}
                    {d.metAt ? `（${chineseDateTime(d.metAt)} 完成）` : ''}
                  </td>
                  <td>
                    <Basis basis={d.basis} />
                  </td>
                  <td>
                    <Skipped d={d} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {limits.length ? (
        <>
          <h3>最长期限</h3>
          <ul>
            {limits.map((l) => (
              <li key={l.key}>
                {l.label}：{chineseDate(l.deadline)} <Provisional d={l} /> <Basis basis={l.basis} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function Documents({ caseId }: { caseId: string }) {
  const docs = useAsync(() => api.caseDocuments(caseId), [caseId]);
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();

  async function download(id: string, kind: 'docx' | 'pdf') {
    setError(undefined);
    try {
      const file = await api.document(id, kind);
      // SM3 is computed here whatever the connection; SHA-256 needs Web Crypto, which plain HTTP lacks.
      const sha256 = await sha256Hex(file.blob);
      const sm3 = file.sm3 ? await sm3Hex(file.blob) : undefined;
      const checkedWith = [sha256 !== undefined ? 'SHA-256' : '', sm3 !== undefined ? 'SM3' : ''].filter(Boolean).join('、');
      const differs = (sha256 !== undefined && sha256 !== file.sha256) || (sm3 !== undefined && sm3 !== file.sm3);
      setChecked((c) => ({
        ...c,
        [`${id}.${kind}`]: differs
          ? `不一致！下载文件为 ${sha256 !== undefined && sha256 !== file.sha256 ? `SHA-256 ${sha256}` : `SM3 ${sm3}`}`
          : checkedWith
            ? `已校验，与存档记录一致（${checkedWith}）`
            : '浏览器无法在非 HTTPS 连接下校验',
      }));
      saveBlob(file.blob, file.filename);
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail : (err as Error).message);
    }
  }

  return (
    <section aria-labelledby="documents" className="documents">
      <h2 id="documents">文书</h2>
      {docs.error ? <ErrorNote>{docs.error}</ErrorNote> : null}
      {docs.data?.documents.length === 0 ? <p>尚未制发文书。</p> : null}
      {docs.data?.documents.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">文书</th>
              <th scope="col">文号</th>
              <th scope="col">制发时间</th>
              <th scope="col">摘要（SHA-256、SM3）</th>
              <th scope="col" className="no-print">下载</th>
            </tr>
          </thead>
          <tbody>
            {docs.data.documents.map((d) => (
              <tr key={d.documentId} data-document={d.documentId}>
                <th scope="row">
                  {d.title}
                  <span className="muted">（{d.article}）</span>
                </th>
                <td>{d.number}</td>
                <td>{chineseDateTime(d.issuedAt)}</td>
                <td>
                  <code className="hash" data-kind="docx">
                    {d.sha256}
                  </code>
                  {d.sm3 ? (
                    <>
                      <br />
                      <span className="muted">SM3：</span>
                      <code className="hash" data-kind="docx-sm3">
                        {d.sm3}
                      </code>
                    </>
                  ) : null}
                  {checked[`${d.documentId}.docx`] ? <span role="status" className="muted"> {checked[`${d.documentId}.docx`]}</span> : null}
                  {d.archivalSha256 ? (
                    <>
                      <br />
                      <span className="muted">存档 PDF：</span>
                      <code className="hash" data-kind="pdf">
                        {d.archivalSha256}
                      </code>
                      {d.archivalSm3 ? (
                        <>
                          <br />
                          <span className="muted">存档 PDF SM3：</span>
                          <code className="hash" data-kind="pdf-sm3">
                            {d.archivalSm3}
                          </code>
                        </>
                      ) : null}
                      {checked[`${d.documentId}.pdf`] ? <span role="status" className="muted"> {checked[`${d.documentId}.pdf`]}</span> : null}
                    </>
                  ) : null}
                </td>
                <td className="no-print">
                  <button type="button" onClick={() => void download(d.documentId, 'docx')}>
                    下载 .docx<span className="sr-only">：{d.title}</span>
                  </button>{' '}
                  {d.archivalSha256 ? (
                    <button type="button" onClick={() => void download(d.documentId, 'pdf')}>
                      存档 PDF<span className="sr-only">：{d.title}</span>
                    </button>
                  ) : (
                    <span className="muted">存档 PDF 生成中</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
    </section>
  );
}

function Timeline({ state, rulebook }: { state: CaseView; rulebook: Rulebook }) {
  return (
    <section aria-labelledby="timeline" className="timeline">
      <h2 id="timeline">办理记录</h2>
      <ol>
        {state.timeline.map((t, i) => (
          <li key={i}>
            <time dateTime={t.at}>{chineseDateTime(t.at)}</time> <strong>{nameOf(EVENT_NAMES, t.event)}</strong>
            {t.actor ? <span className="muted">（{t.actor.name}）</span> : null}
            {t.detail ? <div>{t.event === 'stageEntered' ? stageName(rulebook, t.detail) : plainWords(t.detail)}</div> : null}
            {t.basis ? <Basis basis={t.basis} /> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A case the user is recused from: where it stands, and why nothing more is shown. */
function RedactedCase({ state, rulebook }: { state: RedactedCaseView; rulebook: Rulebook }) {
  return (
    <article className="case">
      <PageTitle>{`案件 ${state.caseId}`}</PageTitle>
      <p role="note" className="warning">
        {state.redacted.detail}
      </p>
      <dl className="summary">
        <dt>辖区规则</dt>
        <dd>
          <Link href={`/rulebooks/${rulebook.id}`}>{rulebook.name}</Link>
        </dd>
        <dt>阶段</dt>
        <dd className="stage">{state.closed ? '已结案' : stageName(rulebook, state.stage)}</dd>
        <dt>结果</dt>
        <dd className="outcome">{state.outcome ? nameOf(OUTCOME_NAMES, state.outcome) : '尚未作出'}</dd>
      </dl>
    </article>
  );
}

export function CaseDetail({ id }: { id: string }) {
  const view = useAsync(async () => {
    const state = await api.getCase(id);
    // A redacted case does not say its rulebook version: the one in force names its stages.
    const rulebook = await api.getRulebook(state.jurisdiction, 'redacted' in state ? undefined : state.rulebookVersion);
    return { state, rulebook };
  }, [id]);
  const [docsVersion, setDocsVersion] = useState(0);
  // The page follows the case from the moment it opens and after every step, until it stops moving.
  const [following, setFollowing] = useState<Following | undefined>(() => ({ until: Date.now() + FOLLOW_FOR_SECONDS * 1000, lastVersion: undefined, still: 0 }));
  const [stillSettling, setStillSettling] = useState(false);
  const [lastStep, setLastStep] = useState<string | undefined>(() => {
    if (sessionStorage.getItem(JUST_OPENED) !== id) return undefined;
    sessionStorage.removeItem(JUST_OPENED);
    return '立案';
  });
  const [printedAt, setPrintedAt] = useState(() => new Date().toISOString());
  useEffect(() => {
    const stamp = () => setPrintedAt(new Date().toISOString());
    addEventListener('beforeprint', stamp);
    return () => removeEventListener('beforeprint', stamp);
  }, []);
  const viewState = view.data?.state;
  useEffect(() => {
    if (!following || !viewState || view.loading) return;
    const caseView = 'redacted' in viewState ? undefined : viewState;
    const running = (caseView?.pendingEffects?.length ?? 0) > 0;
    const version = caseView?.freshness?.version;
    const still = !running && version === following.lastVersion ? following.still + 1 : 0;
    const settled = viewState.closed || still >= 2;
    if (settled || Date.now() > following.until) {
      setFollowing(undefined);
      setStillSettling(!settled && running);
      // The documents and materials once, when the case has settled (each poll would redraw them).
      setDocsVersion((v) => v + 1);
      return;
    }
    const timer = setTimeout(() => {
      setFollowing({ ...following, lastVersion: version, still });
      void view.reload();
    }, FOLLOW_EVERY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [viewState, view.loading, following]);
  const follow = () => setFollowing({ until: Date.now() + FOLLOW_FOR_SECONDS * 1000, lastVersion: undefined, still: 0 });
  const materials = useAsync(() => ('redacted' in (view.data?.state ?? {}) ? Promise.resolve({ materials: [] }) : api.listMaterials(id)), [id, docsVersion]);

  if (view.error && !view.data) {
    return (
      <>
        <PageTitle>案件详情</PageTitle>
        <ErrorNote>{view.error}</ErrorNote>
      </>
    );
  }
  if (!view.data) return <Loading what="案件" />;
  const { rulebook } = view.data;
  if ('redacted' in view.data.state) return <RedactedCase state={view.data.state} rulebook={rulebook} />;
  const state = view.data.state;
  const openAttention = (state.attention ?? []).filter((a) => a.status === 'open');
  const retrying = troubled(state, Date.now());
  const nextSteps = state.availableActions.filter((a) => !OWN_SECTION.has(a.name));
  const pendingDeadlines = state.deadlines.filter((d) => d.status === 'pending');
  const printer = session.user();

  return (
    <article className="case">
      <PageTitle>{`案件 ${state.caseId}`}</PageTitle>
      <p className="print-only print-meta">
        打印时间：{chineseDateTime(printedAt)}；打印人：{printer?.name ?? printer?.sub ?? '未知'}
        {printer?.roles.length ? `（${printer.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}）` : ''}
      </p>
      <section aria-labelledby="summary" className="summary">
        <h2 id="summary" className="sr-only">
          概要
        </h2>
        <dl>
          <dt>辖区规则</dt>
          <dd>
            <Link href={`/rulebooks/${rulebook.id}`}>{rulebook.name}</Link>（{state.rulebookVersion}）
          </dd>
          <dt>阶段</dt>
          <dd className="stage">{state.closed ? '已结案' : stageName(rulebook, state.stage)}</dd>
          <dt>结果</dt>
          <dd className="outcome">{state.outcome ? nameOf(OUTCOME_NAMES, state.outcome) : '尚未作出'}</dd>
          <dt>被调查对象</dt>
          <dd>
            {state.subject.name}，{state.subject.organisation}
            {state.subject.position ? `，${state.subject.position}` : ''}
          </dd>
          <dt>本人账号</dt>
          <dd className="subject-account">{state.subject.userId ?? '未绑定（绑定后本人在收件箱查阅、签收通知）'}</dd>
          <dt>事项</dt>
          <dd>{state.matter}</dd>
          <dt>问责</dt>
          <dd>
            {state.accountability.reference}
            {state.accountability.body ? `（${state.accountability.body}）` : ''}，{ACCOUNTABILITY[state.accountability.status] ?? state.accountability.status}
          </dd>
          {state.application ? (
            <>
              <dt>申请</dt>
              <dd>
                {nameOf(PARTY_NAMES, state.application.filedBy)}于 {chineseDate(state.application.filedAt)} 提交
              </dd>
            </>
          ) : null}
        </dl>
        <div className="no-print actions">
          <button
            type="button"
            onClick={() => {
              void view.reload();
              setDocsVersion((v) => v + 1);
            }}
          >
            刷新
          </button>{' '}
          <button type="button" onClick={() => print()}>
            打印案件
          </button>
        </div>
      </section>

      {openAttention.length ? (
        <section aria-labelledby="attention" className="attention">
          <h2 id="attention">需要处理的异常</h2>
          <ul>
            {openAttention.map((a) => (
              <li key={a.id}>
                {a.effect}失败：{a.error}（{chineseDateTime(a.failedAt)}）{a.skippable ? '，可重试或说明理由后跳过' : '，须重试'}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {following ? (
        <p className="following no-print" role="status" aria-live="polite">
          案件正在更新，本页自动跟进（每秒一次，至多 {FOLLOW_FOR_SECONDS} 秒）…
        </p>
      ) : null}
      {retrying.length ? (
        <p className="warning" role="status">
          正在重试：
          {retrying
            .map((p) => `${nameOf(ACTIVITY_NAMES, p.activity)}（第 ${p.attempt} 次${p.lastFailure ? `，上次失败：${plainWords(p.lastFailure)}` : `，已超过 ${SLOW_EFFECT_SECONDS} 秒`}）`)
            .join('；')}
        </p>
      ) : null}
      {stillSettling && !following && !retrying.length ? (
        <p className="warning no-print" role="status">
          案件在 {FOLLOW_FOR_SECONDS} 秒内未办理完毕（{(state.pendingEffects ?? []).map((p) => nameOf(ACTIVITY_NAMES, p.activity)).join('、')}），本页已停止自动跟进；稍后请按“刷新”。
        </p>
      ) : null}
      {lastStep && !following ? (
        <section className="confirmation no-print" role="status" aria-labelledby="confirmation">
          <h2 id="confirmation">已办理：{lastStep}</h2>
          <p>
            案件现处于：<strong>{state.closed ? '已结案' : stageName(rulebook, state.stage)}</strong>
            {state.outcome ? `，结果：${nameOf(OUTCOME_NAMES, state.outcome)}` : ''}。
          </p>
          {nextSteps.length ? (
            <>
              <p>接下来：</p>
              <ul>
                {nextSteps.map((a) => (
                  <li key={a.name}>
                    {a.label}
                    {a.deadline ? `，须于 ${chineseDate(a.deadline)} 前` : ''}（{a.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}）
                  </li>
                ))}
              </ul>
            </>
          ) : pendingDeadlines.length ? (
            <p>
              接下来等待：
              {pendingDeadlines.map((d) => `${d.label}（最后一日 ${chineseDate(d.deadline)}）`).join('；')}
            </p>
          ) : (
            <p>{state.closed ? '本案已办结。' : '当前没有您可以办理的操作。'}</p>
          )}
        </section>
      ) : null}

      <Assignment
        state={state}
        onChanged={async () => {
          await view.reload();
        }}
      />

      <Deadlines state={state} />

      <section aria-labelledby="steps" className="steps no-print">
        <h2 id="steps">可办理的操作</h2>
        {state.availableActions.filter((a) => !OWN_SECTION.has(a.name)).length === 0 ? <p>当前没有您可以办理的操作。</p> : null}
        {state.availableActions.filter((a) => !OWN_SECTION.has(a.name)).map((a) => (
          <details key={a.name} className="step-box" data-action={a.name}>
            <summary>
              {a.label}
              <span className="muted">（{a.roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}）</span>
              {a.deadline ? <span className="due"> 须于 {chineseDate(a.deadline)} 前</span> : null}
            </summary>
            <StepForm
              caseView={state}
              materials={materials.data?.materials ?? []}
              action={a}
              rulebook={rulebook}
              onTaken={async (label) => {
                setLastStep(label);
                await view.reload();
                setDocsVersion((v) => v + 1);
                follow();
              }}
            />
          </details>
        ))}
      </section>

      <Materials
        state={state}
        materials={materials.data?.materials ?? []}
        rulebookKinds={rulebook.materialKinds ?? []}
        onChange={() => {
          void view.reload();
          void materials.reload();
        }}
      />
      <Documents key={docsVersion} caseId={state.caseId} />
      {state.closed ? <BoundFile key={`bound-${docsVersion}`} caseId={state.caseId} /> : null}
      <Notes caseId={state.caseId} closed={state.closed} />
      <Timeline state={state} rulebook={rulebook} />
      {session.user()?.roles.includes('auditor') ? <AccessLog caseId={state.caseId} /> : null}
    </article>
  );
}
