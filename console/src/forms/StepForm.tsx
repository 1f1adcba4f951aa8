/**
 * One step the user may take now, as a form generated from the action's
 * schema (react-jsonschema-form). A refusal shows its reason and article
 * inline, and the form keeps what was typed, so the user corrects and sends again.
 */
// The Form module itself: the package's index also exports a test helper that imports Ajv, which the console does not use.
import Form from '@rjsf/core/lib/components/Form.js';
import { englishStringTranslator, replaceStringParameters, TranslatableString, type ErrorSchema, type RJSFSchema, type UiSchema } from '@rjsf/utils';
import { useEffect, useId, useRef, useState } from 'react';
import { api, ApiError, newIdempotencyKey, schemaAt, type CaseMaterial, type CaseView, type Problem, type Rulebook } from '../api';
import { beijingToday, chineseDate } from '../format';
import { BOOLEAN_CHOICES, ENUM_NAMES, fieldMessage, fieldPath, plainRefusal } from '../labels';
import { bodyOf, errorSchemaOf, stepForm, withFixed, type StepForm as StepFormSpec } from './step-schema';
import { validator } from './validator';

const CHINESE: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.ArrayItemTitle]: '第 %1 项',
  [TranslatableString.EmptyArray]: '尚未填写，请点“添加”。',
  [TranslatableString.YesLabel]: '是',
  [TranslatableString.NoLabel]: '否',
  [TranslatableString.CloseLabel]: '关闭',
  [TranslatableString.ErrorsLabel]: '错误',
  [TranslatableString.NewStringDefault]: '',
  [TranslatableString.AddButton]: '添加',
  [TranslatableString.AddItemButton]: '添加一项',
  [TranslatableString.CopyButton]: '复制',
  [TranslatableString.MoveDownButton]: '下移',
  [TranslatableString.MoveUpButton]: '上移',
  [TranslatableString.RemoveButton]: '删除',
  [TranslatableString.NowLabel]: '现在',
  [TranslatableString.ClearLabel]: '清除',
  [TranslatableString.AriaDateLabel]: '选择日期',
  [TranslatableString.OptionalObjectAdd]: '填写此项',
  [TranslatableString.OptionalObjectRemove]: '不填此项',
  [TranslatableString.OptionalObjectEmptyMsg]: '未填写',
  [TranslatableString.ClearButton]: '清除',
};

function translateString(key: TranslatableString, params?: string[]): string {
  const zh = CHINESE[key];
  return zh === undefined ? englishStringTranslator(key, params) : replaceStringParameters(zh, params);
}

/** A refusal's words as a person reads them, a catalogue item by its article and text from the case's rulebook. */
export function refusalText(text: string, rulebook: Rulebook, action?: string): string {
  const items = new Map<string, string>();
  for (const c of Object.values(rulebook.catalogues)) for (const i of c?.items ?? []) items.set(i.id, `${i.article}“${i.text}”`);
  return plainRefusal(text, items, action);
}

/** A refusal's message may start with the field it concerns (`members：…`): show it there too. */
function refusalField(problem: Problem): { field: string; message: string }[] {
  const m = /^([A-Za-z][\w.]*)：(.+)$/.exec(problem.detail);
  return m ? [{ field: m[1]!, message: m[2]! }] : [];
}

/** Steps that decide the case or end it: the user checks its answers before they are sent (GOV.UK check answers). */
export const DECISIVE = new Set(['recordDetermination', 'decideAppeal', 'withdrawCase', 'decideExOfficio', 'approveStart', 'decideAcceptance']);

/** Every message of an error schema with the path of its field (`revision.outcome`). */
function errorsOf(schema: ErrorSchema | undefined, path: string[] = []): { path: string[]; message: string }[] {
  if (!schema) return [];
  const out: { path: string[]; message: string }[] = [];
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === '__errors') for (const m of value as string[]) out.push({ path, message: m });
    else out.push(...errorsOf(value as ErrorSchema, [...path, key]));
  }
  return out;
}

/** The error summary at the top of the form: each error links to its field, which shows it again. */
function ErrorSummary({ errors, idPrefix, action }: { errors: { path: string[]; message: string }[]; idPrefix: string; action: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [errors.map((e) => e.path.join('.') + e.message).join()]);
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={`${idPrefix}-error-summary`}>
      <h4 id={`${idPrefix}-error-summary`}>请更正以下 {errors.length} 处</h4>
      <ul>
        {errors.map((e, i) => {
          const id = [idPrefix, ...e.path].join('_');
          return (
            <li key={i}>
              <a
                href={`#${id}`}
                onClick={(ev) => {
                  // The address's hash is the page's route: move the focus, not the address.
                  ev.preventDefault();
                  // The field's own input: a radio group's first choice (id-0), not the element wrapping it.
                  const field = [...document.querySelectorAll<HTMLElement>(`[id="${id}"], [id^="${id}-"], [id^="${id}_"]`)].find((el) => /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));
                  field?.focus();
                  field?.scrollIntoView({ block: 'center' });
                }}
              >
                {e.path.length ? `${fieldPath(e.path.join('.'), action)}：` : ''}
                {e.message}
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** A value of the body as a person reads it: options by their names, yes or no by the choice's words. */
function answerOf(name: string, value: unknown, ui: UiSchema | undefined, schema: Record<string, unknown> | undefined): string {
  if (typeof value === 'boolean') {
    const [yes, no] = BOOLEAN_CHOICES[name] ?? ['是', '否'];
    return value ? yes : no;
  }
  const names = ui?.['ui:enumNames'] as string[] | undefined;
  const options = ((schema?.enum ?? (schema?.items as Record<string, unknown> | undefined)?.enum) as unknown[] | undefined) ?? [];
  const named = (v: unknown) => (names && options.includes(v) ? names[options.indexOf(v)]! : (ENUM_NAMES[name]?.[String(v)] ?? String(v)));
  if (Array.isArray(value)) return value.length ? value.map((v) => (v && typeof v === 'object' ? Object.values(v).join('，') : named(v))).join('；') : '（无）';
  if (value && typeof value === 'object') {
    // A part's own fields (变更后的认定's items) by their names too, from the part's schema.
    const parts = schema?.properties as Record<string, Record<string, unknown>> | undefined;
    return Object.entries(value).map(([k, v]) => `${fieldPath(k)}：${answerOf(k, v, (ui?.[k] as UiSchema | undefined), parts?.[k])}`).join('；');
  }
  return named(value);
}

/** Where a field's schema is: in the body's properties or in a part that applies now (allOf … then). */
function propertySchema(schema: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const direct = (schema.properties as Record<string, Record<string, unknown>> | undefined)?.[name];
  if (direct) return direct;
  for (const part of (schema.allOf as Record<string, unknown>[] | undefined) ?? []) {
    const then = (part.then as { properties?: Record<string, Record<string, unknown>> } | undefined)?.properties?.[name];
    if (then) return then;
  }
  return undefined;
}

/** The days of receipt (`receivedOn`, at the top or one part down) that lie after today. */
function futureReceipts(body: Record<string, unknown>, today: string): string[][] {
  const found: string[][] = [];
  for (const [k, v] of Object.entries(body)) {
    if (k === 'receivedOn' && typeof v === 'string' && v > today) found.push([k]);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = (v as Record<string, unknown>).receivedOn;
      if (typeof inner === 'string' && inner > today) found.push([k, 'receivedOn']);
    }
  }
  return found;
}

interface Props {
  caseView: CaseView;
  /** The case's materials, which a step may carry (attachments). */
  materials?: CaseMaterial[];
  action: CaseView['availableActions'][number];
  rulebook: Rulebook;
  /** After the step was taken, with its name: the case page says what happens next. */
  onTaken: (label: string) => Promise<void> | void;
}

export function StepForm({ caseView, materials = [], action, rulebook, onTaken }: Props) {
  const [spec, setSpec] = useState<StepFormSpec>();
  const [loadError, setLoadError] = useState<string>();
  const [formData, setFormData] = useState<Record<string, unknown>>({});
  const [extraErrors, setExtraErrors] = useState<ErrorSchema>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  /** A decisive step's body, checked and waiting for the user's confirmation. */
  const [review, setReview] = useState<Record<string, unknown>>();
  const attempt = useRef<{ key: string; body: string }>(undefined);
  const formRef = useRef<Form>(null);
  const headingId = useId();
  const problemRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    schemaAt(action.input)
      .then((schema) => live && setSpec(stepForm(schema, rulebook, caseView, materials, action.name)))
      .catch((err: Error) => live && setLoadError(err.message));
    return () => {
      live = false;
    };
    // The form is built once per action; the case's later states keep what was typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [action.input, rulebook, materials.map((m) => `${m.materialId}${m.withdrawal ? '-' : ''}`).join()]);

  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  async function submit(formValues: Record<string, unknown>, confirmed = false) {
    if (!spec) return;
    const asked = bodyOf(formValues);
    setProblem(undefined);
    // Checked as the body that is sent (untouched optional parts left out), against the form's schema.
    const checked = validator.validateFormData(asked, spec.schema);
    if (checked.errors.length) {
      setExtraErrors(checked.errorSchema);
      return;
    }
    // A day of receipt after today is a slip of the date, said as such: the case would take it for a late filing
    // (已逾期). The API's clock may run ahead in a test of months; the person at the console lives today.
    const future = futureReceipts(asked, beijingToday());
    if (future.length) {
      setExtraErrors(Object.fromEntries(future.map((path) => [path[0], path.length > 1 ? { [path[1]!]: { __errors: ['不能是将来的日期（晚于今天）'] } } : { __errors: ['不能是将来的日期（晚于今天）'] }])) as ErrorSchema);
      return;
    }
    if (DECISIVE.has(action.name) && !confirmed) {
      setExtraErrors(undefined);
      setReview(asked);
      return;
    }
    setReview(undefined);
    const data = withFixed(asked, spec.fixed);
    setBusy(true);
    setExtraErrors(undefined);
    const body = JSON.stringify(data);
    // The same body sent again (the answer was lost) keeps its key, so it is applied once; a changed body is a new request.
    if (attempt.current?.body !== body) attempt.current = { key: newIdempotencyKey(), body };
    try {
      await api.takeStep(caseView.caseId, action.name, data, attempt.current.key);
      setDone(true);
      // A step that may be taken again (a statement, a hearing) starts from an empty form.
      setFormData({});
      await onTaken(action.label);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblem(err.problem);
      const fields = [...(err.problem.errors ?? []), ...refusalField(err.problem)];
      if (fields.length) setExtraErrors(errorSchemaOf(fields, (m) => refusalText(fieldMessage(m), rulebook, action.name)) as ErrorSchema);
    } finally {
      setBusy(false);
    }
  }

  const summary = errorsOf(extraErrors);

  if (loadError) return <p role="alert" className="error">无法载入“{action.label}”的表单：{loadError}</p>;
  if (!spec) return <p aria-busy="true">正在载入表单…</p>;

  return (
    <section className="step" aria-labelledby={headingId} data-action={action.name}>
      <h3 id={headingId}>
        {action.label}
        {action.deadline ? <span className="due">（须于 {chineseDate(action.deadline)} 前）</span> : null}
      </h3>
      {summary.length ? <ErrorSummary errors={summary} idPrefix={action.name} action={action.name} /> : null}
      {review ? (
        <div className="check-answers" role="region" aria-label={`核对：${action.label}`}>
          <h4>提交前请核对</h4>
          <p>此步骤作出后将改变案件的进程，请逐项核对。</p>
          <dl>
            {Object.entries(review).map(([k, v]) => (
              <div key={k}>
                <dt>{fieldPath(k, action.name)}</dt>
                <dd>{answerOf(k, v, spec.uiSchema[k] as UiSchema | undefined, propertySchema(spec.schema as Record<string, unknown>, k))}</dd>
              </div>
            ))}
          </dl>
          <button type="button" className="primary" disabled={busy} onClick={() => void submit(review, true)}>
            {busy ? '提交中…' : `确认提交：${action.label}`}
          </button>{' '}
          <button type="button" disabled={busy} onClick={() => setReview(undefined)}>
            返回修改
          </button>
        </div>
      ) : null}
      <Form
        ref={formRef}
        schema={spec.schema as RJSFSchema}
        uiSchema={spec.uiSchema as UiSchema}
        formData={formData}
        validator={validator}
        translateString={translateString}
        extraErrors={extraErrors}
        showErrorList={false}
        noHtml5Validate
        noValidate
        // A yes-or-no is left unanswered: RJSF would take a const option's first value, or false for a required boolean, as the default.
        experimental_defaultFormStateBehavior={{ constAsDefaults: 'never', requiredBooleanDefault: 'skip' }}
        idPrefix={`${action.name}`}
        disabled={busy}
        onChange={(e) => setFormData(e.formData as Record<string, unknown>)}
        onSubmit={(e) => void submit(e.formData as Record<string, unknown>)}
      >
        {problem ? (
          <div className="refusal" role="alert" tabIndex={-1} ref={problemRef}>
            <strong>{problem.status === 400 ? '填写有误' : '操作未被接受'}：</strong>
            {refusalText(refusalField(problem)[0]?.message ?? problem.detail, rulebook, action.name)}
            {problem.basis ? (
              <p className="basis">
                依据 <cite>{problem.basis.article}</cite>：“{problem.basis.quote}”
              </p>
            ) : null}
          </div>
        ) : null}
        {done && !problem ? <p role="status" className="ok">已提交。</p> : null}
        <button type="submit" className="primary" disabled={busy} hidden={Boolean(review)}>
          {busy ? '提交中…' : DECISIVE.has(action.name) ? `核对：${action.label}` : `提交：${action.label}`}
        </button>
      </Form>
    </section>
  );
}
