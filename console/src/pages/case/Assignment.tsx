/**
 * 承办人 on the case page: who holds the case and its team; a supervisor
 * assigns or reassigns it (an officer of the authority, with a reason; the
 * API refuses a non-officer or a recused person, and the form says why at the
 * field); an officer claims it while nobody holds it.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError, newIdempotencyKey, type CaseView } from '../../api';
import { chineseDateTime } from '../../format';
import { fieldMessage } from '../../labels';
import { session } from '../../session';
import { ErrorNote, useAsync } from '../../util';

export function Assignment({ state, onChanged }: { state: CaseView; onChanged: () => Promise<void> }) {
  const user = session.user();
  const offered = (name: string) => state.availableActions.some((a) => a.name === name);
  const mayAssign = offered('assignCase');
  const mayClaim = offered('claimCase') && !state.assignment;
  const assignment = state.assignment;
  return (
    <section aria-labelledby="assignment" className="assignment">
      <h2 id="assignment">承办人</h2>
      {assignment ? (
        <p className="assignee">
          <strong>{assignment.responsible.name}</strong>
          {assignment.responsible.sub === user?.sub ? '（我）' : ''}
          {assignment.team.length ? `；协办：${assignment.team.map((m) => m.name).join('、')}` : ''}
          <span className="muted">
            （{assignment.assignedBy.name}于 {chineseDateTime(assignment.assignedAt)} {assignment.assignedBy.sub === assignment.responsible.sub ? '认领' : '指定'}，理由：{assignment.reason}）
          </span>
        </p>
      ) : (
        <p className="assignee">未指定承办人。</p>
      )}
      {mayClaim ? <Claim caseId={state.caseId} onChanged={onChanged} /> : null}
      {mayAssign ? <AssignForm state={state} onChanged={onChanged} /> : null}
    </section>
  );
}

function Claim({ caseId, onChanged }: { caseId: string; onChanged: () => Promise<void> }) {
  const [error, setError] = useState<string>();
  return (
    <div className="no-print">
      <button
        type="button"
        className="primary"
        onClick={() =>
          void api
            .takeStep(caseId, 'claimCase', {}, newIdempotencyKey())
            .then(onChanged)
            .catch((err: unknown) => setError(err instanceof ApiError ? err.problem.detail : (err as Error).message))
        }
      >
        认领本案
      </button>
      {error ? <ErrorNote>{error}</ErrorNote> : null}
    </div>
  );
}

function AssignForm({ state, onChanged }: { state: CaseView; onChanged: () => Promise<void> }) {
  const officers = useAsync(() => api.officers(), []);
  const [responsible, setResponsible] = useState(state.assignment?.responsible.sub ?? '');
  const [team, setTeam] = useState<string[]>(state.assignment?.team.map((m) => m.sub) ?? []);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [key, setKey] = useState(newIdempotencyKey);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setError(undefined);
    try {
      await api.takeStep(state.caseId, 'assignCase', { responsible, ...(team.length ? { team: team.filter((t) => t !== responsible) } : {}), reason }, key);
      setKey(newIdempotencyKey());
      setReason('');
      await onChanged();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setError(err.problem.detail);
      setErrors(Object.fromEntries((err.problem.errors ?? []).map((f) => [f.field.replace(/^body\./, '').replace(/\.\d+$/, ''), fieldMessage(f.message)])));
    }
  }

  const list = officers.data?.officers ?? [];
  return (
    <form className="card assign no-print" onSubmit={(e) => void submit(e)} aria-label="指定承办人">
      <div className="field">
        <label htmlFor="assign-responsible">承办人</label>
        <select id="assign-responsible" value={responsible} onChange={(e) => setResponsible(e.target.value)} aria-invalid={errors.responsible ? true : undefined} aria-describedby={errors.responsible ? 'assign-responsible-error' : undefined}>
          <option value="">请选择</option>
          {list.map((o) => (
            <option key={o.sub} value={o.sub}>
              {o.name}（{o.sub}）
            </option>
          ))}
        </select>
        {errors.responsible ? (
          <span className="field-error" id="assign-responsible-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      {list.length > 1 ? (
        <fieldset className="field">
          <legend>协办人员（可选）</legend>
          {list
            .filter((o) => o.sub !== responsible)
            .map((o) => (
              <label key={o.sub} className="inline">
                <input type="checkbox" name="team" value={o.sub} checked={team.includes(o.sub)} onChange={(e) => setTeam(e.target.checked ? [...team, o.sub] : team.filter((t) => t !== o.sub))} />
                {o.name}
              </label>
            ))}
          {errors.team ? <span className="field-error" role="alert">{error}</span> : null}
        </fieldset>
      ) : null}
      <div className="field">
        <label htmlFor="assign-reason">指定理由</label>
        <input id="assign-reason" value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} aria-invalid={errors.reason ? true : undefined} />
        {errors.reason ? <span className="field-error">{errors.reason}</span> : null}
      </div>
      {error && !errors.responsible && !errors.team ? <ErrorNote>{error}</ErrorNote> : null}
      <button type="submit" className="primary">
        {state.assignment ? '改派' : '指定'}
      </button>
    </form>
  );
}
