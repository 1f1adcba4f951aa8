/**
 * Where a case's notices go: the authority, the officer responsible for the
 * case (told when a notice cannot be delivered), the subject's own account and
 * the parties' e-mail addresses. Kept here, not in the workflow input, so no
 * address is ever visible in Temporal.
 */
import type { Actor } from '../domain/case/contract';
import type { Party } from '../domain/rulebooks/schema';
import type { Db, Queryable } from './db';

export interface CaseContacts {
  caseId: string;
  authority: string;
  responsible: Pick<Actor, 'sub' | 'name'>;
  subjectUserId?: string | undefined;
  /** The organisation's own account, once bound (bindOrganisationAccount). */
  organisationUserId?: string | undefined;
  addresses: Partial<Record<Party, { email?: string | undefined }>>;
}

/** A contacts row after its case id, as every writer stores it (here, and store/case-numbers.ts when a case is numbered). */
export const CONTACTS_COLUMNS = 'authority, responsible, subject_user_id, addresses';
export const contactsValues = (contacts: Omit<CaseContacts, 'caseId'>) => [
  contacts.authority,
  JSON.stringify(contacts.responsible),
  contacts.subjectUserId ?? null,
  JSON.stringify(contacts.addresses),
];

/** Written when the case opens; a retried open keeps the first. */
export async function saveCaseContacts(db: Queryable, contacts: CaseContacts): Promise<void> {
  await db.query(`insert into case_contacts (case_id, ${CONTACTS_COLUMNS}) values ($1, $2, $3, $4, $5) on conflict (case_id) do nothing`, [
    contacts.caseId,
    ...contactsValues(contacts),
  ]);
}

export async function findCaseContacts(db: Queryable, caseId: string): Promise<CaseContacts | undefined> {
  const rows = await db.query<{ authority: string; responsible: CaseContacts['responsible']; subject_user_id: string | null; organisation_user_id: string | null; addresses: CaseContacts['addresses'] }>(
    'select authority, responsible, subject_user_id, organisation_user_id, addresses from case_contacts where case_id = $1',
    [caseId],
  );
  const row = rows[0];
  return (
    row && {
      caseId,
      authority: row.authority,
      responsible: row.responsible,
      subjectUserId: row.subject_user_id ?? undefined,
      ...(row.organisation_user_id ? { organisationUserId: row.organisation_user_id } : {}),
      addresses: row.addresses,
    }
  );
}

/**
 * Binds the organisation's own account (bindOrganisationAccount): its later notices go to `inbox.to`,
 * and those already delivered to it as a party move there. A repeat changes nothing.
 */
export async function bindOrganisationAccount(db: Db, caseId: string, userId: string, inbox: { from: string; to: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('update case_contacts set organisation_user_id = $2, organisation_bound_at = now() where case_id = $1 and organisation_user_id is distinct from $2', [caseId, userId]);
    await tx.query(`update notifications set recipient_key = $3 where case_id = $1 and recipient_key = $2 and channel = 'inbox'`, [caseId, inbox.from, inbox.to]);
  });
}

/** The cases an account is bound to as a party at an authority, with which party it is; most recent first. */
export async function casesOfPartyAccount(db: Queryable, authority: string, userId: string, limit = 200): Promise<{ caseId: string; party: 'subject' | 'subjectOrganisation' }[]> {
  const rows = await db.query<{ case_id: string; party: 'subject' | 'subjectOrganisation' }>(
    `select case_id, party from (
       select case_id, 'subject' as party, subject_bound_at as bound_at from case_contacts where authority = $1 and subject_user_id = $2
       union all
       select case_id, 'subjectOrganisation', organisation_bound_at from case_contacts where authority = $1 and organisation_user_id = $2
     ) p order by bound_at desc nulls last, case_id desc limit $3`,
    [authority, userId, limit],
  );
  return rows.map((r) => ({ caseId: r.case_id, party: r.party }));
}

/**
 * Binds the subject's own account (the step bindSubjectAccount): the subject's later notices go to
 * `inbox.to`, and those already delivered to the subject as a party move there. A repeat changes nothing.
 */
export async function bindSubjectAccount(db: Db, caseId: string, userId: string, inbox: { from: string; to: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      'update case_contacts set subject_user_id = $2, subject_bound_at = now() where case_id = $1 and subject_user_id is distinct from $2',
      [caseId, userId],
    );
    await tx.query(`update notifications set recipient_key = $3 where case_id = $1 and recipient_key = $2 and channel = 'inbox'`, [caseId, inbox.from, inbox.to]);
  });
}
