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
import { chineseDate } from '../format';
import { fieldMessage } from '../labels';
import { bodyOf, errorSchemaOf, stepForm, type StepForm as StepFormSpec } from './step-schema';
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

/** A refusal's message may start with the field it concerns (`members：…`): show it there too. */
function refusalField(problem: Problem): { field: string; message: string }[] {
  const m = /^([A-Za-z][\w.]*)：(.+)$/.exec(problem.detail);
  return m ? [{ field: m[1]!, message: m[2]! }] : [];
}

interface Props {
  caseView: CaseView;
  /** The case's materials, which a step may carry (attachments). */
  materials?: CaseMaterial[];
  action: CaseView['availableActions'][number];
  rulebook: Rulebook;
  onTaken: () => Promise<void> | void;
}

export function StepForm({ caseView, materials = [], action, rulebook, onTaken }: Props) {
  const [spec, setSpec] = useState<StepFormSpec>();
  const [loadError, setLoadError] = useState<string>();
  const [formData, setFormData] = useState<Record<string, unknown>>({});
  const [extraErrors, setExtraErrors] = useState<ErrorSchema>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const attempt = useRef<{ key: string; body: string }>(undefined);
  const formRef = useRef<Form>(null);
  const headingId = useId();
  const problemRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    schemaAt(action.input)
      .then((schema) => live && setSpec(stepForm(schema, rulebook, caseView, materials)))
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

  async function submit(formValues: Record<string, unknown>) {
    if (!spec) return;
    const asked = bodyOf(formValues);
    setProblem(undefined);
    // Checked as the body that is sent (untouched optional parts left out), against the form's schema.
    const checked = validator.validateFormData(asked, spec.schema);
    if (checked.errors.length) {
      setExtraErrors(checked.errorSchema);
      return;
    }
    const data = { ...asked, ...spec.fixed };
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
      await onTaken();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblem(err.problem);
      const fields = [...(err.problem.errors ?? []), ...refusalField(err.problem)];
      if (fields.length) setExtraErrors(errorSchemaOf(fields, fieldMessage) as ErrorSchema);
    } finally {
      setBusy(false);
    }
  }

  if (loadError) return <p role="alert" className="error">无法载入“{action.label}”的表单：{loadError}</p>;
  if (!spec) return <p aria-busy="true">正在载入表单…</p>;

  return (
    <section className="step" aria-labelledby={headingId} data-action={action.name}>
      <h3 id={headingId}>
        {action.label}
        {action.deadline ? <span className="due">（须于 {chineseDate(action.deadline)} 前）</span> : null}
      </h3>
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
        idPrefix={`${action.name}`}
        disabled={busy}
        onChange={(e) => setFormData(e.formData as Record<string, unknown>)}
        onSubmit={(e) => void submit(e.formData as Record<string, unknown>)}
      >
        {problem ? (
          <div className="refusal" role="alert" tabIndex={-1} ref={problemRef}>
            <strong>{problem.status === 400 ? '填写有误' : '操作未被接受'}：</strong>
            {refusalField(problem)[0]?.message ?? problem.detail}
            {problem.basis ? (
              <p className="basis">
                依据 <cite>{problem.basis.article}</cite>：“{problem.basis.quote}”
              </p>
            ) : null}
          </div>
        ) : null}
        {done && !problem ? <p role="status" className="ok">已提交。</p> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? '提交中…' : `提交：${action.label}`}
        </button>
      </Form>
    </section>
  );
}
