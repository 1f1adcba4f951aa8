/**
 * 结果运用: the organisation department asks what follows from a cadre's conclusions (GET
 * /v1/conclusion-effects), by the party account or by name and unit, and reads each concluded case of
 * its authority with its outcome, the effects the rulebook attaches (article and text, from when and
 * until when), and to whom it was copied. The cadre asked about stays in the form, never in the page's
 * address; every question, answered or refused, is in the access log.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, ledgerApi, type Cadre, type ConclusionEffects } from '../api';
import { chineseDate } from '../format';
import { OUTCOME_NAMES, fieldMessage } from '../labels';
import { ErrorNote, PageTitle } from '../util';

function Conclusion({ c }: { c: ConclusionEffects }) {
  return (
    <section className="card" aria-labelledby={`conclusion-${c.caseId}`}>
      <h2 id={`conclusion-${c.caseId}`}>
        {c.caseId}：{OUTCOME_NAMES[c.outcome] ?? c.outcome}
      </h2>
      <p>
        {c.subject.name}（{c.subject.unit}），{chineseDate(c.decidedOn)}作出认定{c.revisedOnAppeal ? '（申诉后变更）' : ''}
        {c.approvingBody ? `，批准机关：${c.approvingBody}` : ''}；适用期间自 {chineseDate(c.appliesFrom)}
        {c.appliesUntil ? ` 至 ${chineseDate(c.appliesUntil)}` : '起'}。
      </p>
      <table aria-label={`${c.caseId} 结果运用`}>
        <thead>
          <tr><th scope="col">依据</th><th scope="col">结果运用</th><th scope="col">自</th><th scope="col">至</th></tr>
        </thead>
        <tbody>
          {c.effects.map((e) => (
            <tr key={`${e.article}-${e.text}`}>
              <th scope="row" title={e.quote}>{e.article}</th><td>{e.text}</td><td>{chineseDate(e.from)}</td><td>{e.until ? chineseDate(e.until) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {c.copiedTo.length ? (
        <p>
          抄送、备案：{c.copiedTo.map((x) => `${x.body}（${chineseDate(x.on)}${x.reference ? `，${x.reference}` : ''}）`).join('；')}
        </p>
      ) : null}
    </section>
  );
}

export function ConclusionsPage() {
  const [by, setBy] = useState<'name' | 'account'>('name');
  const [form, setForm] = useState({ name: '', unit: '', userId: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [answer, setAnswer] = useState<ConclusionEffects[]>();

  async function ask(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setError(undefined);
    setAnswer(undefined);
    const cadre: Cadre = by === 'account' ? { userId: form.userId.trim() } : { name: form.name.trim(), unit: form.unit.trim() };
    try {
      setAnswer((await ledgerApi.conclusionEffects(cadre)).conclusions);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setError(err.problem.detail);
      // Without a cadre the API names query.name (give the account, or name and unit): asked by account, that is the account's field.
      const named = (field: string) => (by === 'account' && (field === 'name' || field === 'unit') ? 'userId' : field);
      setErrors(Object.fromEntries((err.problem.errors ?? []).map((f) => [named(f.field.replace(/^query\./, '')), fieldMessage(f.message)])));
    }
  }

  const field = (id: 'name' | 'unit' | 'userId', label: string) => (
    <div className="field">
      <label htmlFor={`cadre-${id}`}>{label}</label>
      <input id={`cadre-${id}`} value={form[id]} onChange={(e) => setForm({ ...form, [id]: e.target.value })} aria-invalid={errors[id] ? true : undefined} autoComplete="off" />
      {errors[id] ? <span className="field-error">{errors[id]}</span> : null}
    </div>
  );

  return (
    <>
      <PageTitle>结果运用</PageTitle>
      <p>查询干部在本机关的容错认定结论及其结果运用（考核、评优评先、提拔任用等），每次查询均记入访问日志。</p>
      <form className="card" onSubmit={(e) => void ask(e)}>
        <fieldset className="field">
          <legend>查询方式</legend>
          <label className="inline">
            <input type="radio" name="by" checked={by === 'name'} onChange={() => setBy('name')} /> 姓名和单位
          </label>
          <label className="inline">
            <input type="radio" name="by" checked={by === 'account'} onChange={() => setBy('account')} /> 当事人账号
          </label>
        </fieldset>
        {by === 'name' ? (
          <>
            {field('name', '姓名')}
            {field('unit', '单位')}
          </>
        ) : (
          field('userId', '当事人账号')
        )}
        <button type="submit" className="primary">查询</button>
      </form>
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      {answer ? answer.map((c) => <Conclusion key={c.caseId} c={c} />) : null}
    </>
  );
}
