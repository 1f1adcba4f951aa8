/**
 * Schema migrations, applied in order at start. Append only: a migration that
 * has run anywhere is never edited.
 */
import type { Db, Queryable } from './db';

const MIGRATIONS: { id: number; name: string; statements: string[] }[] = [
  {
    id: 1,
    name: 'calendar overlay and case numbers',
    statements: [
      `create table calendar_years (
        year integer primary key check (year between 1949 and 2200),
        holidays jsonb not null,
        make_up_workdays jsonb not null,
        source text not null,
        loaded_by text not null,
        loaded_at timestamptz not null default now()
      )`,
      `create table case_numbers (
        jurisdiction text not null,
        year integer not null,
        last_number integer not null,
        primary key (jurisdiction, year)
      )`,
      `create table case_requests (
        idempotency_key text not null,
        requested_by text not null,
        body_sha256 text not null,
        case_id text not null,
        created_at timestamptz not null default now(),
        primary key (requested_by, idempotency_key)
      )`,
    ],
  },
  {
    id: 2,
    name: 'issued documents, document numbers and notifications',
    statements: [
      `create table document_numbers (
        prefix text not null,
        year integer not null,
        last_number integer not null,
        primary key (prefix, year)
      )`,
      `create table documents (
        id uuid primary key default gen_random_uuid(),
        case_id text not null,
        idempotency_key text not null unique,
        kind text not null,
        number text not null unique,
        title text not null,
        body text not null,
        article text not null,
        recipients jsonb not null,
        copy_to jsonb not null,
        issued_by jsonb not null,
        issued_at timestamptz not null default now()
      )`,
      `create index documents_case on documents (case_id)`,
      `create table notifications (
        id uuid primary key default gen_random_uuid(),
        case_id text not null,
        idempotency_key text not null unique,
        recipient jsonb not null,
        channel text not null,
        subject text not null,
        body text not null,
        status text not null,
        attempts integer not null default 0,
        created_at timestamptz not null default now(),
        sent_at timestamptz,
        delivered_at timestamptz
      )`,
      `create index notifications_case on notifications (case_id)`,
    ],
  },
  {
    id: 3,
    name: 'rendered document files and their hashes',
    statements: [
      `alter table documents add column file bytea`,
      `alter table documents add column sha256 text`,
      `alter table documents add column media_type text`,
    ],
  },
  {
    id: 4,
    name: 'dossiers of closed cases',
    statements: [
      `create table dossiers (
        case_id text primary key,
        authority text not null,
        jurisdiction text not null,
        outcome text,
        state jsonb not null,
        closed_at timestamptz not null,
        archived_at timestamptz not null default now()
      )`,
      `create index dossiers_authority on dossiers (authority)`,
    ],
  },
  {
    id: 5,
    name: 'notice channels, inboxes, service receipts and case contacts',
    statements: [
      // Who a notice goes to in someone's inbox (user:…, role:authority:role, body:…, party:case:party).
      `alter table notifications add column recipient_key text`,
      `alter table notifications add column address text`,
      `alter table notifications add column last_error text`,
      `alter table notifications add column escalated_at timestamptz`,
      // The recipient's acknowledgement of service (送达回证).
      `alter table notifications add column served_on date`,
      `alter table notifications add column served_at timestamptz`,
      `alter table notifications add column served_by text`,
      // Set when acknowledging this notice serves a party with the conclusion.
      `alter table notifications add column service jsonb`,
      `create index notifications_inbox on notifications (recipient_key, created_at) where channel = 'inbox'`,
      // Addresses stay out of Temporal: the workflow never sees them.
      `create table case_contacts (
        case_id text primary key,
        authority text not null,
        responsible jsonb not null,
        subject_user_id text,
        addresses jsonb not null default '{}'::jsonb,
        created_at timestamptz not null default now()
      )`,
    ],
  },
  {
    id: 6,
    name: 'delivery claims, idempotent steps, provisional counts',
    statements: [
      // The attempt that holds a delivery's claim; only it may record the delivery sent or given up.
      `alter table notifications add column claim text`,
      // A step taken over the API with an Idempotency-Key: a retry answers as the first did.
      `create table step_requests (
        authority text not null,
        requested_by text not null,
        idempotency_key text not null,
        case_id text not null,
        action text not null,
        body_sha256 text not null,
        update_id text not null,
        created_at timestamptz not null default now(),
        primary key (authority, requested_by, idempotency_key)
      )`,
      // Which cases counted a deadline while a year's schedule was not loaded: loading it tells them.
      `create table provisional_counts (
        case_id text not null,
        year integer not null,
        counted_at timestamptz not null default now(),
        primary key (case_id, year)
      )`,
    ],
  },
  {
    id: 7,
    name: 'archival PDF copies of documents, and the documents in each dossier',
    statements: [
      // The fixed-layout copy (PDF/A) beside the editable .docx, with its own hash, rendered after the document is recorded.
      `alter table documents add column archival_file bytea`,
      `alter table documents add column archival_sha256 text`,
      `alter table documents add column archival_media_type text`,
      `alter table documents add column archival_renderer text`,
      `alter table documents add column archival_rendered_at timestamptz`,
      `create index documents_without_archival_copy on documents (issued_at) where archival_file is null`,
      // Which documents, with both hashes, the dossier of a closed case holds.
      `alter table dossiers add column documents jsonb`,
    ],
  },
  {
    id: 10,
    name: 'idempotency keys of opened cases and user inboxes scoped by authority',
    statements: [
      // The same account id at two authorities is two users: a key one used never answers the other's case.
      `alter table case_requests add column authority text not null default ''`,
      `update case_requests r set authority = c.authority from case_contacts c where c.case_id = r.case_id`,
      `alter table case_requests drop constraint case_requests_pkey`,
      `alter table case_requests add primary key (authority, requested_by, idempotency_key)`,
      // user:<sub> becomes user:<authority>:<sub>; every user notice belongs to a case whose authority the contacts name.
      `update notifications n set recipient_key = 'user:' || c.authority || ':' || substr(n.recipient_key, 6)
         from case_contacts c where c.case_id = n.case_id and n.recipient_key like 'user:%'`,
      // Who bound the subject's account, and when (bindSubjectAccount).
      `alter table case_contacts add column subject_bound_at timestamptz`,
    ],
  },
  {
    id: 11,
    name: 'calendar subscription feeds',
    statements: [
      // One revocable feed per user: a calendar program sends no header, so the URL's token is the credential; only its hash is kept.
      `create table calendar_feeds (
        subject text primary key,
        token_sha256 text not null unique,
        authority text not null,
        created_at timestamptz not null default now()
      )`,
    ],
  },
  {
    id: 12,
    name: 'case views: the read model of running cases',
    statements: [
      // Each case's state as of its last change, written by the case itself (a local activity in the same
      // workflow task as the change), so reads and authorisation need no round trip to a worker.
      `create table case_views (
        case_id text primary key,
        authority text not null,
        version integer not null,
        closed boolean not null,
        state jsonb not null,
        saved_at timestamptz not null default now()
      )`,
      `create index case_views_authority on case_views (authority)`,
    ],
  },
  {
    id: 13,
    name: 'SM3 digests of documents beside their SHA-256',
    statements: [
      // 国密 (GB/T 39786): each file's SM3, recorded when it is made as its SHA-256 is. Files made before have none:
      // an SM3 taken now would vouch for whatever is stored today, not for what was issued.
      `alter table documents add column sm3 text`,
      `alter table documents add column archival_sm3 text`,
    ],
  },
  {
    id: 20,
    name: 'calendar from the read model, feeds by authority and user, staff accounts',
    statements: [
      // What the case list and the calendar need of a case without reading its whole state: who is
      // recused (they see neither its matter nor its deadlines), its stage, jurisdiction and matter.
      `alter table case_views add column jurisdiction text`,
      `alter table case_views add column stage text`,
      `alter table case_views add column matter text`,
      `alter table case_views add column recusals jsonb not null default '[]'::jsonb`,
      `update case_views set jurisdiction = state->>'jurisdiction', stage = state->>'stage', matter = state->>'matter', recusals = coalesce(state->'recusals', '[]'::jsonb)`,
      // The deadlines a calendar shows (pending, and an authority's lapsed unmet: overdue) of each
      // running case, replaced with its view: a month view reads these, not every running case.
      `create table case_deadlines (
        case_id text not null,
        authority text not null,
        deadline date not null,
        key text not null,
        entry jsonb not null
      )`,
      // In the order a calendar lists them, so a bounded read walks the index and sorts nothing.
      `create index case_deadlines_by_day on case_deadlines (authority, deadline, case_id, key)`,
      `create index case_deadlines_case on case_deadlines (case_id)`,
      `insert into case_deadlines (case_id, authority, deadline, key, entry)
         select v.case_id, v.authority, (d->>'deadline')::date, d->>'key',
                jsonb_build_object('key', d->'key', 'label', d->'label', 'binds', d->'binds', 'provisional', d->'provisional', 'basis', d->'basis', 'overdue', d->>'status' = 'lapsed')
           from case_views v, jsonb_array_elements(v.state->'deadlines') d
          where not v.closed and (d->>'status' = 'pending' or (d->>'status' = 'lapsed' and d->>'binds' = 'authority' and d->'metAt' is null))`,
      // A feed belongs to a user of an authority (the same account id at another authority is another
      // user), carries its owner's name (recusal goes by name where no account is recorded), and
      // expires. Feeds made before carry no name, so recusal by name could not be checked for them:
      // they end here, and their owners make a new one.
      `delete from calendar_feeds`,
      `alter table calendar_feeds drop constraint calendar_feeds_pkey`,
      `alter table calendar_feeds add primary key (authority, subject)`,
      `alter table calendar_feeds add column name text not null`,
      `alter table calendar_feeds add column expires_at timestamptz not null`,
      // The accounts the API has seen act as an authority's staff (open a case, take a step), with the
      // roles their verified tokens held: binding one as a case's subject is refused.
      `create table staff_accounts (
        authority text not null,
        subject text not null,
        roles text[] not null,
        last_case_id text not null,
        last_acted_at timestamptz not null default now(),
        primary key (authority, subject)
      )`,
    ],
  },
  {
    id: 50,
    name: 'case view versions from the case clock',
    statements: [
      // A view's version is the case's clock in milliseconds (workflows/engine/case-file.ts), so it never
      // goes back after a hand-over to a new run or a Reset; a whole-number count does not hold it.
      `alter table case_views alter column version type bigint`,
    ],
  },
];

/** The migrations this build knows that the database has not applied yet. */
export async function pendingMigrations(db: Queryable): Promise<number[]> {
  const [{ found } = { found: null }] = await db.query<{ found: string | null }>(`select to_regclass('schema_migrations')::text as found`);
  if (!found) return MIGRATIONS.map((m) => m.id);
  const applied = new Set((await db.query<{ id: number }>('select id from schema_migrations')).map((r) => r.id));
  return MIGRATIONS.map((m) => m.id).filter((id) => !applied.has(id));
}

export async function migrate(db: Db): Promise<void> {
  // Nothing to do is decided without DDL, so the API's and workers' role (rows only, no DDL; README,
  // PostgreSQL roles) starts on an archive its owner migrated, and is told who must migrate otherwise.
  const pending = await pendingMigrations(db);
  if (pending.length === 0) return;
  try {
    await db.query(`create table if not exists schema_migrations (
    id integer primary key, name text not null, applied_at timestamptz not null default now())`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
    throw new Error(`the archive database lacks migrations ${pending.join(', ')}, and this role may not create tables: run them as the archive's owner (compose's archive-migrate job: node dist/store/migrate.js)`);
  }
  // One transaction per migration, with a lock so two processes starting together do not race.
  for (const migration of MIGRATIONS) {
    await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(7233001)');
      const done = await tx.query('select 1 from schema_migrations where id = $1', [migration.id]);
      if (done.length > 0) return;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('insert into schema_migrations (id, name) values ($1, $2)', [migration.id, migration.name]);
    });
  }
}
