/**
 * Where a case's notices go: the authority, the officer responsible for the
 * case (told when a notice cannot be delivered), the subject's own account and
 * the parties' e-mail addresses. Kept here, not in the workflow input, so no
 * address is ever visible in Temporal.
 */
import type { Actor } from '../domain/case/contract';
import type { Party } from '../domain/rulebooks/schema';
import type { Queryable } from './db';

export interface CaseContacts {
  caseId: string;
  authority: string;
  responsible: Pick<Actor, 'sub' | 'name'>;
  subjectUserId?: string | undefined;
  addresses: Partial<Record<Party, { email?: string | undefined }>>;
}

/** Written when the case opens; a retried open keeps the first. */
export async function saveCaseContacts(db: Queryable, contacts: CaseContacts): Promise<void> {
  await db.query(
    `insert into case_contacts (case_id, authority, responsible, subject_user_id, addresses) values ($1, $2, $3, $4, $5)
     on conflict (case_id) do nothing`,
    [contacts.caseId, contacts.authority, JSON.stringify(contacts.responsible), contacts.subjectUserId ?? null, JSON.stringify(contacts.addresses)],
  );
}

export async function findCaseContacts(db: Queryable, caseId: string): Promise<CaseContacts | undefined> {
  const rows = await db.query<{ authority: string; responsible: CaseContacts['responsible']; subject_user_id: string | null; addresses: CaseContacts['addresses'] }>(
    'select authority, responsible, subject_user_id, addresses from case_contacts where case_id = $1',
    [caseId],
  );
  const row = rows[0];
  return row && { caseId, authority: row.authority, responsible: row.responsible, subjectUserId: row.subject_user_id ?? undefined, addresses: row.addresses };
}
