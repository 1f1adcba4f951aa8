/**
 * The accounts the API has seen sign in with a staff role at an authority,
 * with the name, roles and e-mail address their last verified token carried.
 * The API knows accounts only from tokens, so this is how it knows who is an
 * officer of an authority: whom a case may be assigned to (api/assignment.ts),
 * whom a party's binding refuses (api/subject-account.ts), and where a
 * member of staff is told of its work by e-mail.
 */
import type { Queryable } from './db';

export interface StaffMember {
  authority: string;
  sub: string;
  name: string;
  roles: string[];
  email: string | null;
  lastSeenAt: string;
}

type Row = { authority: string; subject: string; name: string; roles: string[]; email: string | null; last_seen_at: Date | string };
const fromRow = (r: Row): StaffMember => ({ authority: r.authority, sub: r.subject, name: r.name, roles: r.roles, email: r.email, lastSeenAt: new Date(r.last_seen_at).toISOString() });

/** Records the account as its token shows it now (its roles are the token's, not a union of all it ever held). */
export async function recordStaffMember(db: Queryable, m: { authority: string; sub: string; name: string; roles: string[]; email?: string | undefined }): Promise<void> {
  await db.query(
    `insert into staff_directory (authority, subject, name, roles, email) values ($1, $2, $3, $4::text[], $5)
     on conflict (authority, subject) do update set name = excluded.name, roles = excluded.roles, email = coalesce(excluded.email, staff_directory.email), last_seen_at = now()`,
    [m.authority, m.sub, m.name, [...m.roles].sort(), m.email ?? null],
  );
}

export async function findStaffMember(db: Queryable, authority: string, sub: string): Promise<StaffMember | undefined> {
  const rows = await db.query<Row>('select authority, subject, name, roles, email, last_seen_at from staff_directory where authority = $1 and subject = $2', [authority, sub]);
  return rows[0] && fromRow(rows[0]);
}

/** The authorities the account is known at as staff, for "someone of another authority". */
export async function authoritiesOfStaff(db: Queryable, sub: string): Promise<string[]> {
  const rows = await db.query<{ authority: string }>('select authority from staff_directory where subject = $1 order by authority', [sub]);
  return rows.map((r) => r.authority);
}

/** An authority's known staff holding a role, by name. */
export async function staffWithRole(db: Queryable, authority: string, role: string, limit = 500): Promise<StaffMember[]> {
  const rows = await db.query<Row>(
    'select authority, subject, name, roles, email, last_seen_at from staff_directory where authority = $1 and $2 = any(roles) order by name, subject limit $3',
    [authority, role, limit],
  );
  return rows.map(fromRow);
}
