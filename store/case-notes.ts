/**
 * Staff-only internal notes on a case: written once, with author and time,
 * never changed or removed (a trigger refuses it to every role, and on
 * PostgreSQL the app's role holds no UPDATE or DELETE), and never shown to a
 * party or put in a document: no party route and no document reads them.
 */
import type { Queryable } from './db';

export interface CaseNote {
  id: string;
  caseId: string;
  author: { sub: string; name: string };
  text: string;
  writtenAt: string;
}

type Row = { id: string; case_id: string; author_sub: string; author_name: string; text: string; written_at: Date | string };
const fromRow = (r: Row): CaseNote => ({ id: r.id, caseId: r.case_id, author: { sub: r.author_sub, name: r.author_name }, text: r.text, writtenAt: new Date(r.written_at).toISOString() });

export async function addCaseNote(db: Queryable, note: { caseId: string; authority: string; author: { sub: string; name: string }; text: string }): Promise<CaseNote> {
  const rows = await db.query<Row>(
    'insert into case_notes (case_id, authority, author_sub, author_name, text) values ($1, $2, $3, $4, $5) returning id, case_id, author_sub, author_name, text, written_at',
    [note.caseId, note.authority, note.author.sub, note.author.name, note.text],
  );
  return fromRow(rows[0]!);
}

/** A case's notes, oldest first. */
export async function notesOfCase(db: Queryable, caseId: string, limit = 500): Promise<CaseNote[]> {
  const rows = await db.query<Row>('select id, case_id, author_sub, author_name, text, written_at from case_notes where case_id = $1 order by written_at, id limit $2', [caseId, limit]);
  return rows.map(fromRow);
}
