/**
 * 办案备注: the case's staff-only notes, oldest first, each with its author and
 * time; officers and supervisors add one (never edit or remove it). A note is
 * never shown to a party or served (the party's pages have no way to them).
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api';
import { chineseDateTime } from '../../format';
import { session } from '../../session';
import { ErrorNote, useAsync } from '../../util';

export function Notes({ caseId, closed }: { caseId: string; closed: boolean }) {
  const notes = useAsync(() => api.caseNotes(caseId), [caseId]);
  const roles = session.user()?.roles ?? [];
  const mayWrite = !closed && (roles.includes('officer') || roles.includes('supervisor'));
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await api.recordNote(caseId, text);
      setText('');
      await notes.reload();
    } catch (err) {
      setError(err instanceof ApiError ? (err.problem.errors?.[0]?.message ?? err.problem.detail) : (err as Error).message);
    }
  }

  return (
    <section aria-labelledby="notes" className="notes">
      <h2 id="notes">办案备注（仅工作人员可见）</h2>
      {notes.error ? <ErrorNote>{notes.error}</ErrorNote> : null}
      {notes.data?.notes.length === 0 ? <p>尚无备注。</p> : null}
      <ol>
        {notes.data?.notes.map((n) => (
          <li key={n.id}>
            <time dateTime={n.writtenAt}>{chineseDateTime(n.writtenAt)}</time> <strong>{n.author.name}</strong>
            <div className="note-text">{n.text}</div>
          </li>
        ))}
      </ol>
      {mayWrite ? (
        <form onSubmit={(e) => void submit(e)} className="no-print">
          <div className="field">
            <label htmlFor="note-text">新增备注（保存后不可修改、删除，不向当事人公开）</label>
            <textarea id="note-text" rows={3} maxLength={5000} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={error ? true : undefined} />
            {error ? <span className="field-error" role="alert">{error}</span> : null}
          </div>
          <button type="submit">保存备注</button>
        </form>
      ) : null}
    </section>
  );
}
