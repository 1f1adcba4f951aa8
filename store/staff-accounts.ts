/**
 * The accounts the API has seen act as an authority's staff. The API knows an
 * account only from the tokens it verifies, so it keeps here each account
 * that opened a case or took a step at an authority, with the roles its
 * verified token held and the last case it acted on. Binding such an account
 * as a case's subject is refused (api/subject-account.ts): a colleague is not
 * shut out of a case, nor handed its notices, by being named its subject.
 */
import type { Queryable } from './db';

export interface StaffAccount {
  authority: string;
  subject: string;
  roles: string[];
  lastCaseId: string;
  lastActedAt: string;
}

/** Records that the account acted as staff on `caseId`, adding its roles to those already known. */
export async function recordStaffAccount(db: Queryable, account: { authority: string; subject: string; roles: string[]; caseId: string }): Promise<void> {
  await db.query(
    `insert into staff_accounts (authority, subject, roles, last_case_id, last_acted_at) values ($1, $2, $3::text[], $4, now())
     on conflict (authority, subject) do update set
       roles = (select array_agg(distinct r order by r) from unnest(staff_accounts.roles || excluded.roles) as r),
       last_case_id = excluded.last_case_id, last_acted_at = excluded.last_acted_at`,
    [account.authority, account.subject, account.roles, account.caseId],
  );
}

export async function findStaffAccount(db: Queryable, authority: string, subject: string): Promise<StaffAccount | undefined> {
  const rows = await db.query<{ roles: string[]; last_case_id: string; last_acted_at: Date | string }>(
    'select roles, last_case_id, last_acted_at from staff_accounts where authority = $1 and subject = $2',
    [authority, subject],
  );
  const row = rows[0];
  return row && { authority, subject, roles: row.roles, lastCaseId: row.last_case_id, lastActedAt: new Date(row.last_acted_at).toISOString() };
}
