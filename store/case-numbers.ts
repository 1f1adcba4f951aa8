import { CONTACTS_COLUMNS, contactsValues, type CaseContacts } from './case-contacts';
import type { CaseRequest, Requester } from './case-requests';
import type { Queryable } from './db';

/** The next case number of a jurisdiction in a year: gap-free, never reused, safe under concurrency. */
const NEXT_NUMBER = `insert into case_numbers (jurisdiction, year, last_number) values ($1, $2, 1)
  on conflict (jurisdiction, year) do update set last_number = case_numbers.last_number + 1`;

/**
 * domain/case/contract.ts caseWorkflowId in SQL: `case-binhai-2026-0001`. PostgreSQL's lpad cuts a
 * longer text to its length, so a number past 9999 is written whole, as padStart leaves it.
 */
const CASE_ID = `'case-' || $1 || '-' || $2::int || '-' || case when numbered.last_number < 10000 then lpad(numbered.last_number::text, 4, '0') else numbered.last_number::text end`;

export interface NewCase {
  jurisdiction: string;
  year: number;
  /** The POST that opens it, under its Idempotency-Key: a retry finds this case, never a second. */
  request?: { by: Requester; key: string; bodySha256: CaseRequest['bodySha256'] } | undefined;
  /** Where its notices go (store/case-contacts.ts). */
  contacts: Omit<CaseContacts, 'caseId'>;
}

/**
 * Numbers a new case and saves, with its number, the request that opened it and its contacts: one
 * statement, so one commit, and all of it or none. A key its requester used before fails the whole
 * statement (the primary key of case_requests), and the number it would have taken stays free.
 */
export async function numberNewCase(db: Queryable, c: NewCase): Promise<string> {
  const rows = await db.query<{ case_id: string }>(
    `with numbered as (${NEXT_NUMBER} returning last_number),
     opened as (select ${CASE_ID} as case_id from numbered),
     request as (
       insert into case_requests (authority, requested_by, idempotency_key, body_sha256, case_id)
       select $3, $4, $5, $6, case_id from opened where $5::text is not null
     ),
     contacts as (
       insert into case_contacts (case_id, ${CONTACTS_COLUMNS})
       select case_id, $7, $8, $9, $10 from opened
       on conflict (case_id) do nothing
     )
     select case_id from opened`,
    [
      c.jurisdiction,
      c.year,
      c.request?.by.authority ?? null,
      c.request?.by.sub ?? null,
      c.request?.key ?? null,
      c.request?.bodySha256 ?? null,
      ...contactsValues(c.contacts),
    ],
  );
  return rows[0]!.case_id;
}
