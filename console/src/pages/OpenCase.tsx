/**
 * 立案: open a case under a rulebook the caller's authority uses. The rulebook
 * decides what the event date is (the day the subject was told, from which
 * the application window counts, or the day accountability started) and
 * which of the optional parts (intake route, level, advance filing, matters
 * raised) apply. Errors come back from the API at each field.
 */
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { api, ApiError, newIdempotencyKey, type Rulebook } from '../api';
import { beijingToday } from '../format';
import { ENUM_NAMES, fieldMessage, fieldPath } from '../labels';
import { ErrorNote, Loading, PageTitle, useAsync } from '../util';

/** The case just opened here, for the case page's confirmation (立案, and what happens next). */
export const JUST_OPENED = 'rongcuo.justOpened';

/**
 * What the event date is for this rulebook (and the intake route chosen), in the regulation's words:
 * the rulebook names it (`openingEvent`, per route where the routes differ), so the console shows the
 * same label the API's refusals use. A party window counting from it is named in the hint.
 */
export function eventDateLabel(rulebook: Rulebook, route: string): { label: string; hint: string } {
  const event = rulebook.openingEvent;
  const chosen = (route ? event?.byRoute?.[route as keyof NonNullable<typeof event.byRoute>] : undefined) ?? event;
  const window = rulebook.steps.find((s) => s.kind === 'partyWindow');
  const counts =
    window?.kind === 'partyWindow'
      ? `；${window.label}的期限自此日起算：${window.deadline.amount}${window.deadline.unit === 'workingDays' ? '个工作日' : '日'}（${window.deadline.basis.article}）`
      : '';
  if (chosen) {
    const basis = chosen.basis ? `${chosen.basis.article}“${chosen.basis.quote}”` : '';
    return { label: chosen.label, hint: `${basis}${counts}` };
  }
  return { label: '问责启动日', hint: `以问责部门告知或启动问责之日为准${counts}` };
}

interface Draft {
  name: string;
  organisation: string;
  position: string;
  matter: string;
  reference: string;
  body: string;
  eventDate: string;
  route: string;
  level: string;
  advanceReference: string;
  advanceFiledWith: string;
  advanceFiledOn: string;
  raisedItems: string;
  subjectEmail: string;
}

const EMPTY: Draft = { name: '', organisation: '', position: '', matter: '', reference: '', body: '', eventDate: beijingToday(), route: '', level: '', advanceReference: '', advanceFiledWith: '', advanceFiledOn: '', raisedItems: '', subjectEmail: '' };

/** The API's field path → the input that shows its error. */
const FIELD_OF: Record<string, keyof Draft | 'jurisdiction'> = {
  'body.jurisdiction': 'jurisdiction',
  'body.subject.name': 'name',
  'body.subject.organisation': 'organisation',
  'body.subject.position': 'position',
  'body.matter': 'matter',
  'body.accountability.reference': 'reference',
  'body.accountability.body': 'body',
  'body.eventDate': 'eventDate',
  'body.route': 'route',
  'body.level': 'level',
  'body.advanceFiling.reference': 'advanceReference',
  'body.advanceFiling.filedWith': 'advanceFiledWith',
  'body.advanceFiling.filedOn': 'advanceFiledOn',
  'body.raisedItems': 'raisedItems',
  'body.contacts.subject.email': 'subjectEmail',
};

function Field(props: { id: keyof Draft; label: string; error?: string | undefined; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <span className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {props.error ? (
        <span className="field-error" id={`${props.id}-error`}>
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

export function OpenCase() {
  const [, navigate] = useLocation();
  const list = useAsync(() => api.listRulebooks(), []);
  // Only the jurisdiction the authority is bound to (config/authorities.ts): POST /v1/cases refuses any other with 403.
  const usable = useMemo(() => [...new Map((list.data?.rulebooks ?? []).filter((b) => b.usable).map((b) => [b.id, b])).values()], [list.data]);
  const [jurisdiction, setJurisdiction] = useState('');
  const [rulebook, setRulebook] = useState<Rulebook>();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  /** The facts the rulebook records at opening (滨海 第三章 specialZone): each an explicit 是/否, never a default. */
  const [attributes, setAttributes] = useState<Record<string, boolean>>({});
  /** The API's answer that the first window already ran out: the question put to the officer. */
  const [lapsed, setLapsed] = useState<string>();
  /** Check your answers: what 立案 will record, shown before it is sent. */
  const [review, setReview] = useState<[string, string][]>();

  useEffect(() => {
    if (!jurisdiction && usable[0]) setJurisdiction(usable[0].id);
  }, [usable, jurisdiction]);
  useEffect(() => {
    if (!jurisdiction) return;
    setRulebook(undefined);
    api.getRulebook(jurisdiction).then(setRulebook, (err: Error) => setProblem(err.message));
  }, [jurisdiction]);

  const intake = rulebook?.steps.find((s) => s.kind === 'intake');
  const levels = rulebook?.steps.some((s) => s.kind === 'filing' && s.onlyForLevel);
  const advanceFiling = rulebook?.steps.some((s) => s.kind === 'deliberation' && s.advanceFiling);
  const scopeLimited = rulebook?.steps.some((s) => s.kind === 'investigation' && s.scopeLimited);
  const event = rulebook ? eventDateLabel(rulebook, draft.route) : undefined;

  const set = (k: keyof Draft) => (e: { target: { value: string } }) => {
    setDraft({ ...draft, [k]: e.target.value });
    setReview(undefined);
    // A changed request is a new request: a new key, so the API does not take it for a retry of the last.
    setKey(newIdempotencyKey());
  };
  const input = (k: keyof Draft, extra: Record<string, unknown> = {}) => ({
    id: k,
    value: draft[k],
    onChange: set(k),
    'aria-invalid': errors[k] ? true : undefined,
    'aria-describedby': [errors[k] ? `${k}-error` : '', extra.hint ? `${k}-hint` : ''].filter(Boolean).join(' ') || undefined,
  });

  async function submit(e: FormEvent | undefined, confirmLapsedWindow = false, confirmed = false) {
    e?.preventDefault();
    const unanswered = (rulebook?.caseAttributes ?? []).filter((a) => attributes[a.id] === undefined);
    if (unanswered.length > 0) {
      setErrors(Object.fromEntries(unanswered.map((a) => [`attr-${a.id}`, '请选择“是”或“否”'])));
      setProblem('填写有误，请按各项下方的提示更正');
      return;
    }
    if (!confirmed && !confirmLapsedWindow) {
      const book = usable.find((b) => b.id === jurisdiction);
      const rows: [string, string][] = [
        ['辖区规则', book?.name ?? jurisdiction],
        ['被调查对象', [draft.name, draft.organisation, draft.position].filter((v) => v.trim()).join('，')],
        ['事项', draft.matter],
        ['问责文书文号', draft.reference],
        ...(draft.body.trim() ? [['问责机关', draft.body] as [string, string]] : []),
        [event?.label ?? '事件日期', draft.eventDate],
        ...(intake && draft.route ? [['启动方式', ENUM_NAMES.route?.[draft.route] ?? draft.route] as [string, string]] : []),
        ...(rulebook?.caseAttributes ?? []).map((a) => [a.label, attributes[a.id] ? '是' : '否'] as [string, string]),
      ];
      setErrors({});
      setProblem(undefined);
      setReview(rows);
      return;
    }
    setReview(undefined);
    setBusy(true);
    setErrors({});
    setProblem(undefined);
    setLapsed(undefined);
    const opt = (v: string) => (v.trim() ? v.trim() : undefined);
    const body = {
      jurisdiction,
      subject: { name: draft.name, organisation: draft.organisation, position: opt(draft.position) },
      matter: draft.matter,
      accountability: { reference: draft.reference, body: opt(draft.body) },
      eventDate: draft.eventDate,
      route: intake ? opt(draft.route) : undefined,
      level: levels ? opt(draft.level) : undefined,
      advanceFiling: advanceFiling && draft.advanceReference.trim() ? { reference: draft.advanceReference, filedWith: draft.advanceFiledWith, filedOn: draft.advanceFiledOn } : undefined,
      raisedItems: scopeLimited && draft.raisedItems.trim() ? draft.raisedItems.split('\n').map((s) => s.trim()).filter(Boolean) : undefined,
      contacts: draft.subjectEmail.trim() ? { subject: { email: draft.subjectEmail.trim() } } : undefined,
      attributes: rulebook?.caseAttributes.length ? attributes : undefined,
      confirmLapsedWindow: confirmLapsedWindow || undefined,
    };
    try {
      const { id } = await api.openCase(body, key);
      // The case page confirms what was done and what comes next, once it has followed the new case.
      sessionStorage.setItem(JUST_OPENED, id);
      navigate(`/cases/${id}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.problem.code === 'window_already_lapsed') {
        // Most often a mistyped year: asked, not assumed.
        setLapsed(err.problem.detail);
        return;
      }
      const fields = err.problem.errors ?? [];
      // Each field's error shows at its input; the summary names only those no input shows.
      const unshown = fields.filter((f) => !FIELD_OF[f.field]).map((f) => `${fieldPath(f.field)}：${fieldMessage(f.message)}`);
      setProblem(err.problem.status === 400 && fields.length ? ['填写有误，请按各项下方的提示更正', ...unshown].join('；') : err.problem.detail);
      setErrors(Object.fromEntries(fields.map((f) => [FIELD_OF[f.field] ?? f.field, fieldMessage(f.message)])));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle>立案</PageTitle>
      {list.error ? <ErrorNote>{list.error}</ErrorNote> : null}
      {list.loading && !list.data ? <Loading what="可用的规则" /> : null}
      {list.data && usable.length === 0 ? <ErrorNote>本机关未配置可适用的辖区规则，不能立案。请联系系统管理员在机关配置（AUTHORITIES_FILE）中为本机关指定辖区。</ErrorNote> : null}
      <form onSubmit={(e) => void submit(e)} className="card" noValidate>
        <div className="field">
          <label htmlFor="jurisdiction">辖区规则</label>
          <select id="jurisdiction" value={jurisdiction} onChange={(e) => setJurisdiction(e.target.value)} aria-invalid={errors.jurisdiction ? true : undefined}>
            {usable.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}（{b.issuingBody}）
              </option>
            ))}
          </select>
          {errors.jurisdiction ? <span className="field-error">{errors.jurisdiction}</span> : null}
        </div>
        <fieldset aria-describedby="subject-note">
          <legend>被调查对象</legend>
          <p className="hint" id="subject-note">
            被调查对象本人的系统账号不在立案时填写：立案后由办案人员在案件页面“绑定被调查对象账户”，此后本人在收件箱查阅、签收通知，但不能办理本案。
          </p>
          <Field id="name" label="姓名" error={errors.name}>
            <input {...input('name')} autoComplete="off" required />
          </Field>
          <Field id="organisation" label="所在单位（党组织）" error={errors.organisation}>
            <input {...input('organisation')} required />
          </Field>
          <Field id="position" label="职务（可选）" error={errors.position}>
            <input {...input('position')} />
          </Field>
          <Field id="subjectEmail" label="电子邮件（可选，通知同时发送）" error={errors.subjectEmail}>
            <input {...input('subjectEmail')} type="email" autoComplete="off" />
          </Field>
        </fieldset>
        <fieldset>
          <legend>问责事项</legend>
          <Field id="matter" label="事项（不得写入姓名、身份证号）" error={errors.matter}>
            <textarea {...input('matter')} rows={2} maxLength={500} required />
          </Field>
          <Field id="reference" label="问责文书文号" error={errors.reference}>
            <input {...input('reference')} required />
          </Field>
          <Field id="body" label="问责机关（可选）" error={errors.body}>
            <input {...input('body')} />
          </Field>
          <Field id="eventDate" label={event?.label ?? '问责启动日'} hint={event?.hint} error={errors.eventDate}>
            <input {...input('eventDate', { hint: true })} type="date" required />
          </Field>
          {intake ? (
            <Field id="route" label="启动方式" error={errors.route}>
              <select {...input('route')}>
                <option value="">当事人申请</option>
                {intake.routes.map((r) => (
                  <option key={r.route} value={r.route}>
                    {r.label}（{r.basis.article}）
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          {levels ? (
            <Field id="level" label="作出决定的机关层级" error={errors.level}>
              <select {...input('level')}>
                <option value="">未指明</option>
                {Object.entries(ENUM_NAMES.level ?? {}).map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          {advanceFiling ? (
            <>
              <Field id="advanceReference" label="改革事项事前报备文号（如有）" error={errors.advanceReference}>
                <input {...input('advanceReference')} />
              </Field>
              <Field id="advanceFiledWith" label="报备机关" error={errors.advanceFiledWith}>
                <input {...input('advanceFiledWith')} />
              </Field>
              <Field id="advanceFiledOn" label="报备日期" error={errors.advanceFiledOn}>
                <input {...input('advanceFiledOn')} type="date" />
              </Field>
            </>
          ) : null}
          {(rulebook?.caseAttributes ?? []).map((a) => (
            <fieldset key={a.id} className="choice" aria-describedby={`attr-${a.id}-hint`}>
              <legend>{a.label}</legend>
              <span className="hint" id={`attr-${a.id}-hint`}>
                {a.basis.article}：{a.basis.reading ?? a.basis.quote}
              </span>
              {[true, false].map((value) => (
                <label key={String(value)} className="inline">
                  <input
                    type="radio"
                    name={`attr-${a.id}`}
                    id={`attr-${a.id}-${value ? 'yes' : 'no'}`}
                    checked={attributes[a.id] === value}
                    onChange={() => {
                      setAttributes({ ...attributes, [a.id]: value });
                      setKey(newIdempotencyKey());
                    }}
                  />
                  {value ? '是' : '否'}
                </label>
              ))}
              {errors[`attr-${a.id}`] ? <span className="field-error">{errors[`attr-${a.id}`]}</span> : null}
            </fieldset>
          ))}
          {scopeLimited ? (
            <Field id="raisedItems" label="提出的问题（一事一核，每行一项）" error={errors.raisedItems}>
              <textarea {...input('raisedItems')} rows={3} />
            </Field>
          ) : null}
        </fieldset>
        {problem ? <ErrorNote>{problem}</ErrorNote> : null}
        {lapsed ? (
          <div className="card warning" role="alertdialog" aria-labelledby="lapsed-title" id="lapsed-question">
            <h2 id="lapsed-title">申请期限已届满，确认仍要立案？</h2>
            <p>{lapsed}</p>
            <p>如果是日期填错（例如年份），请返回修改；确认日期无误的，可以仍然立案。</p>
            <button type="button" className="primary" id="confirm-lapsed" disabled={busy} onClick={() => void submit(undefined, true)}>
              日期无误，仍然立案
            </button>{' '}
            <button type="button" onClick={() => { setLapsed(undefined); document.getElementById('eventDate')?.focus(); }}>
              返回修改日期
            </button>
          </div>
        ) : null}
        {review ? (
          <div className="check-answers" role="region" aria-labelledby="open-review-title" id="open-review">
            <h2 id="open-review-title">提交前请核对</h2>
            <p>立案后即开始计算法定期限，并通知有关人员。</p>
            <dl>
              {review.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v || '（未填写）'}</dd>
                </div>
              ))}
            </dl>
            <button type="button" className="primary" disabled={busy} onClick={() => void submit(undefined, false, true)}>
              确认立案
            </button>{' '}
            <button type="button" disabled={busy} onClick={() => setReview(undefined)}>
              返回修改
            </button>
          </div>
        ) : null}
        <button type="submit" className="primary" disabled={busy || !rulebook} hidden={Boolean(review)}>
          {busy ? '立案中…' : '立案'}
        </button>
      </form>
    </>
  );
}
