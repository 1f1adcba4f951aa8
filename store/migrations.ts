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
    id: 30,
    name: 'people on a case: staff directory, party accounts, work in the read model, receipts, notes',
    statements: [
      // Every account the API has seen sign in with a staff role at an authority, with the name and
      // e-mail its token carried: whom a case may be assigned to, and whom a party binding refuses.
      `create table staff_directory (
        authority text not null,
        subject text not null,
        name text not null,
        roles text[] not null,
        email text,
        first_seen_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now(),
        primary key (authority, subject)
      )`,
      // The organisation's own account, beside the subject's; a party finds its cases by either.
      `alter table case_contacts add column organisation_user_id text`,
      `alter table case_contacts add column organisation_bound_at timestamptz`,
      `create index case_contacts_subject_account on case_contacts (authority, subject_user_id) where subject_user_id is not null`,
      `create index case_contacts_organisation_account on case_contacts (authority, organisation_user_id) where organisation_user_id is not null`,
      // Who holds each case and what it waits for, written with its view (a queue is a query over
      // the view, domain/case/people.ts). Null on views written before: read from their state.
      `alter table case_views add column assignee text`,
      `alter table case_views add column team text[] not null default '{}'`,
      `alter table case_views add column waiting jsonb`,
      `alter table case_views add column waiting_roles text[]`,
      `create index case_views_assignee on case_views (authority, assignee) where not closed`,
      `create index case_views_waiting_roles on case_views using gin (waiting_roles) where not closed`,
      // The running cases' waiting steps from their state, as domain/case/people.ts waitingSteps takes
      // them (what is offered, less what is always offered and a party's own window).
      `update case_views v set
         assignee = v.state->'assignment'->'responsible'->>'sub',
         waiting = coalesce((
           select jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                    'action', a->>'name', 'label', a->>'label', 'roles', a->'roles', 'deadline', coalesce(dd.d->>'deadline', a->>'deadline'),
                    'deadlineLabel', dd.d->>'label', 'article', dd.d->'basis'->>'article', 'binds', dd.d->>'binds', 'provisional', dd.d->'provisional')))
             from jsonb_array_elements(v.state->'availableActions') a
             left join lateral (
               select d from jsonb_array_elements(v.state->'deadlines') d
                where d->>'status' = 'pending' and d->>'deadline' = a->>'deadline'
                order by (d->>'key' = a->>'deadlineKey') desc nulls last limit 1) dd on true
            where a->>'name' not in ('recordRecusal', 'bindSubjectAccount', 'bindOrganisationAccount', 'withdrawCase', 'recordAccusationFalse', 'assignCase', 'claimCase')
              and coalesce(dd.d->>'binds', '') <> 'party'), '[]'::jsonb)
       where not v.closed`,
      `update case_views v set waiting_roles = array(select distinct r from jsonb_array_elements(v.waiting) w, jsonb_array_elements_text(w->'roles') r) where v.waiting is not null`,
      // A party's own filings, each with its receipt (回执), numbered without gaps per authority and year.
      `create table receipt_numbers (
        authority text not null,
        year integer not null,
        last_number integer not null,
        primary key (authority, year)
      )`,
      // A filing is kept from the moment it reaches the system (received_at, the day of receipt in
      // Beijing time), then numbered once the case has taken it, or marked refused.
      `create table filing_receipts (
        id uuid primary key default gen_random_uuid(),
        number text unique,
        status text not null default 'pending',
        refusal jsonb,
        issued_at timestamptz,
        authority text not null,
        case_id text not null,
        party text not null,
        kind text not null,
        filed_by text not null,
        received_on date not null,
        received_at timestamptz not null,
        update_id text not null unique,
        summary_sha256 text not null
      )`,
      `create index filing_receipts_case on filing_receipts (case_id)`,
      // Staff-only notes: written once, never changed (the trigger refuses it to every role).
      `create table case_notes (
        id uuid primary key default gen_random_uuid(),
        case_id text not null,
        authority text not null,
        author_sub text not null,
        author_name text not null,
        text text not null,
        written_at timestamptz not null default now()
      )`,
      `create index case_notes_case on case_notes (case_id, written_at)`,
      `create function case_notes_append_only() returns trigger language plpgsql as $$
       begin
         raise exception 'case_notes is append-only: % refused', tg_op using errcode = '42501';
       end $$`,
      `create trigger case_notes_append_only before update or delete on case_notes for each row execute function case_notes_append_only()`,
      `create trigger case_notes_no_truncate before truncate on case_notes for each statement execute function case_notes_append_only()`,
      // Where the app's role exists (PostgreSQL, README: PostgreSQL roles), it may add notes, never change them.
      `do $$ begin
         if exists (select from pg_roles where rolname = 'rongcuo_app') then
           revoke update, delete, truncate on case_notes from rongcuo_app;
         end if;
       end $$`,
    ],
  },
  {
    id: 31,
    name: 'access log: append-only, hash-chained, pruned only by the retention job',
    statements: [
      // Every read of a case, its documents, its dossier, and every codec decode (api/access-log.ts).
      // Each record carries the SHA-256 over the one before (prev_hash) and its own content (hash);
      // a prev_hash has one successor at most, so two writers cannot fork the chain.
      `create table access_log (
        seq bigserial primary key,
        at timestamptz not null,
        sub text,
        name text,
        roles text[] not null default '{}',
        authority text,
        event text not null,
        operation text not null,
        case_id text,
        document_id text,
        address text,
        user_agent text,
        status integer not null,
        detail jsonb,
        prev_hash text not null unique,
        hash text not null unique
      )`,
      `create index access_log_case on access_log (case_id, seq)`,
      `create index access_log_at on access_log (at)`,
      // Where the chain starts once old records are pruned: the last pruned record's seq and hash.
      `create table access_log_anchor (
        id boolean primary key default true check (id),
        through_seq bigint not null,
        hash text not null,
        pruned_at timestamptz not null
      )`,
      // No role changes a record, or removes one younger than 180 days; only prune_access_log removes
      // older ones, from the oldest, moving the anchor with them.
      `create function access_log_append_only() returns trigger language plpgsql as $$
       begin
         if tg_op = 'DELETE' and tg_table_name = 'access_log' and current_setting('rongcuo.access_log_pruning', true) = 'on' then
           if old.at >= now() - interval '180 days' then
             raise exception 'access_log keeps every record at least 180 days (seq %)', old.seq using errcode = '42501';
           end if;
           return old;
         end if;
         if tg_table_name = 'access_log_anchor' and current_setting('rongcuo.access_log_pruning', true) = 'on' then
           return coalesce(new, old);
         end if;
         raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = '42501';
       end $$`,
      `create trigger access_log_append_only before update or delete on access_log for each row execute function access_log_append_only()`,
      `create trigger access_log_no_truncate before truncate on access_log for each statement execute function access_log_append_only()`,
      `create trigger access_log_anchor_guard before insert or update or delete on access_log_anchor for each row execute function access_log_append_only()`,
      `create trigger access_log_anchor_no_truncate before truncate on access_log_anchor for each statement execute function access_log_append_only()`,
      // The retention job's one way to remove records: those older than keep_days (at least 180),
      // oldest first. Runs with its owner's rights (the app's role may not delete), so the job runs
      // under the app's role; search_path as when it was made (a test's schema).
      `create function prune_access_log(keep_days integer) returns table (pruned bigint, through_seq bigint, through_hash text)
       language plpgsql security definer set search_path from current as $$
       declare
         cutoff timestamptz;
         last_seq bigint;
         last_hash text;
         n bigint;
       begin
         if keep_days is null or keep_days < 180 then
           raise exception 'access log records are kept at least 180 days, not %', keep_days using errcode = '22023';
         end if;
         cutoff := now() - make_interval(days => keep_days);
         select coalesce((select min(l.seq) from access_log l where l.at >= cutoff), (select max(l.seq) + 1 from access_log l), 0) - 1 into last_seq;
         select l.hash into last_hash from access_log l where l.seq = last_seq;
         if last_hash is null then
           return query select 0::bigint, null::bigint, null::text;
           return;
         end if;
         perform set_config('rongcuo.access_log_pruning', 'on', true);
         delete from access_log l where l.seq <= last_seq;
         get diagnostics n = row_count;
         insert into access_log_anchor (id, through_seq, hash, pruned_at) values (true, last_seq, last_hash, now())
           on conflict (id) do update set through_seq = excluded.through_seq, hash = excluded.hash, pruned_at = excluded.pruned_at;
         perform set_config('rongcuo.access_log_pruning', 'off', true);
         return query select n, last_seq, last_hash;
       end $$`,
      // Where the app's role exists it may append and read, never change or remove.
      `do $$ begin
         if exists (select from pg_roles where rolname = 'rongcuo_app') then
           revoke update, delete, truncate on access_log from rongcuo_app;
           revoke insert, update, delete, truncate on access_log_anchor from rongcuo_app;
         end if;
       end $$`,
    ],
  },
  {
    id: 40,
    name: 'materials of the case file',
    statements: [
      // Uploaded files (scans, evidence, reports, minutes, proofs of service), sealed with the payload keys
      // (services/casefile/sealed-files.ts); their digests are of the file as given, taken at upload.
      `create table materials (
        id uuid primary key default gen_random_uuid(),
        case_id text not null,
        authority text not null,
        kind text not null,
        title text not null,
        source text,
        obtained_by text,
        original_date date,
        file_name text,
        format text not null,
        media_type text not null,
        size_bytes integer not null,
        sha256 text not null,
        sm3 text not null,
        key_id text not null,
        cipher text not null,
        file bytea not null,
        uploaded_by jsonb not null,
        uploaded_at timestamptz not null default now(),
        withdrawn_at timestamptz,
        withdrawn_by jsonb,
        withdrawn_reason text
      )`,
      `create index materials_case on materials (case_id, uploaded_at)`,
    ],
  },
  {
    id: 41,
    name: 'bound case files and the dossier sweep watermark',
    statements: [
      // The archival file bound at 建档 (one PDF/A), sealed like the materials, with its digests and what it holds.
      `create table bound_files (
        case_id text primary key,
        authority text not null,
        sha256 text not null,
        sm3 text not null,
        pages integer not null,
        size_bytes integer not null,
        key_id text not null,
        cipher text not null,
        file bytea not null,
        contents jsonb not null,
        validation jsonb not null,
        bound_at timestamptz not null default now()
      )`,
      `alter table dossiers add column bound_file jsonb`,
      // The close time of the last case the dossier sweep recorded: the next sweep starts there, however long it did not run.
      `create table sweep_watermarks (
        name text primary key,
        closed_at timestamptz not null,
        updated_at timestamptz not null default now()
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
  {
    id: 60,
    name: 'case openings: the number and the start of a case as one operation',
    statements: [
      // The outbox of openings (store/case-openings.ts): committed with the case's number, started from here.
      `create table case_openings (
        case_id text primary key,
        sealed_input text,
        matter_terms jsonb,
        created_at timestamptz not null default now(),
        attempts integer not null default 0,
        attempted_at timestamptz,
        last_error text,
        started_at timestamptz
      )`,
      `create index case_openings_pending on case_openings (created_at) where started_at is null`,
      // Cases opened before with a key were started (or their start failed and the number is spent): a retry
      // of their request must find them started, never start a run of its own.
      `insert into case_openings (case_id, created_at, started_at)
         select case_id, min(created_at), min(created_at) from case_requests group by case_id
         on conflict (case_id) do nothing`,
    ],
  },
  {
    id: 61,
    name: 'payload keys each case was sealed with',
    statements: [
      // Every key a case's payloads were sealed with (store/case-payload-keys.ts), recorded by the API and the
      // workers as they seal: at start-up each process names the keys open cases need that it lacks.
      `create table case_payload_keys (
        key_id text not null,
        case_id text not null,
        first_sealed_at timestamptz not null default now(),
        primary key (key_id, case_id)
      )`,
      `create index case_payload_keys_case on case_payload_keys (case_id)`,
    ],
  },
  {
    id: 70,
    name: 'rulebook versions authored through the API, their audit trail, authorities bound to jurisdictions',
    statements: [
      // A rulebook version a deploying body submitted, with the file as uploaded and the regulation's full
      // text its quotes were checked against; approved by another person, in force from a day (HMCTS's LiveFrom
      // and LiveTo). The parsed rulebook is what a case pins when it opens under the version.
      `create table rulebook_versions (
        id uuid primary key default gen_random_uuid(),
        jurisdiction text not null,
        version text not null,
        revision integer not null,
        status text not null check (status in ('submitted', 'approved', 'withdrawn')),
        rulebook jsonb not null,
        file_name text not null,
        file_text text not null,
        file_sha256 text not null,
        regulation_file text not null,
        regulation_text text not null,
        regulation_sha256 text not null,
        submitted_by jsonb not null,
        submitted_at timestamptz not null default now(),
        approved_by jsonb,
        approved_at timestamptz,
        in_force_from date,
        in_force_until date,
        withdrawn_by jsonb,
        withdrawn_at timestamptz,
        withdrawal_reason text,
        check (status <> 'approved' or (approved_by is not null and in_force_from is not null)),
        check (in_force_until is null or in_force_until >= in_force_from)
      )`,
      // One live copy of each revision: a correction is a new revision, a withdrawn one may be submitted again.
      `create unique index rulebook_versions_revision on rulebook_versions (jurisdiction, version, revision) where status <> 'withdrawn'`,
      `create index rulebook_versions_jurisdiction on rulebook_versions (jurisdiction, submitted_at)`,
      // Versions are never edited and never deleted, whoever connects: what a version says, who submitted it
      // and, once approved, who approved it and from when, are fixed; the only changes are submitted to approved
      // or withdrawn, and approved to withdrawn (before it is in force: services/rulebooks/authoring.ts).
      `create function rulebook_versions_guard() returns trigger language plpgsql as $$
       begin
         if tg_op = 'DELETE' then
           raise exception 'rulebook versions are kept: withdraw one instead' using errcode = '42501';
         end if;
         if (new.id, new.jurisdiction, new.version, new.revision, new.rulebook, new.file_name, new.file_text, new.file_sha256,
             new.regulation_file, new.regulation_text, new.regulation_sha256, new.submitted_by, new.submitted_at)
            is distinct from
            (old.id, old.jurisdiction, old.version, old.revision, old.rulebook, old.file_name, old.file_text, old.file_sha256,
             old.regulation_file, old.regulation_text, old.regulation_sha256, old.submitted_by, old.submitted_at) then
           raise exception 'a rulebook version is never edited: a correction is a new revision' using errcode = '42501';
         end if;
         if old.status = 'withdrawn' then
           raise exception 'a withdrawn rulebook version stays withdrawn' using errcode = '42501';
         end if;
         if old.status = 'approved' and (new.status <> 'withdrawn'
             or (new.approved_by, new.approved_at, new.in_force_from, new.in_force_until)
                is distinct from (old.approved_by, old.approved_at, old.in_force_from, old.in_force_until)) then
           raise exception 'an approved rulebook version is never edited: a correction is a new revision' using errcode = '42501';
         end if;
         return new;
       end $$`,
      `create trigger rulebook_versions_guard before update or delete on rulebook_versions for each row execute function rulebook_versions_guard()`,
      // Every submission (refused ones too), check, dry run, approval, withdrawal and binding: who, when, what.
      `create table rulebook_audit (
        id bigserial primary key,
        at timestamptz not null default now(),
        action text not null,
        jurisdiction text not null,
        version_id uuid,
        actor jsonb not null,
        detail jsonb not null default '{}'::jsonb
      )`,
      `create index rulebook_audit_jurisdiction on rulebook_audit (jurisdiction, id)`,
      `create function rulebook_audit_append_only() returns trigger language plpgsql as $$
       begin
         raise exception 'the rulebook audit trail is append-only' using errcode = '42501';
       end $$`,
      `create trigger rulebook_audit_append_only before update or delete on rulebook_audit for each row execute function rulebook_audit_append_only()`,
      `create trigger rulebook_audit_no_truncate before truncate on rulebook_audit for each statement execute function rulebook_audit_append_only()`,
      // Jurisdictions an authority was bound to through the API, beside those its configuration names.
      `create table authority_jurisdictions (
        authority text not null,
        jurisdiction text not null,
        bound_by jsonb not null,
        bound_at timestamptz not null default now(),
        primary key (authority, jurisdiction)
      )`,
    ],
  },
  {
    id: 90,
    name: 'the ledger: each case view with the day it was opened, its outcome and its figures',
    statements: [
      // The ledger and the statistics select an authority's cases of a period (store/ledger.ts) and count
      // a few hundred bytes of each (figures, written with the view by saveCaseView), never the whole state.
      `alter table case_views add column opened_on date`,
      `alter table case_views add column outcome text`,
      `alter table case_views add column figures jsonb`,
      // Views written before: their figures are filled in by the next change of each case; the columns the
      // filters need are filled here, and figures from the state in the same shape figuresOf writes.
      `update case_views set opened_on = ((state->'timeline'->0->>'at')::timestamptz at time zone 'Asia/Shanghai')::date, outcome = state->>'outcome',
         figures = jsonb_build_object(
           'caseId', case_id, 'authority', authority, 'jurisdiction', state->>'jurisdiction', 'closed', closed,
           'openedAt', state->'timeline'->0->>'at', 'route', state->'intake'->>'route',
           'exOfficio', coalesce(state->'intake'->>'route' = 'exOfficio', false) or state ? 'exOfficio',
           'accepted', case when state ? 'acceptance' then (state->'acceptance'->>'accepted')::boolean when state ? 'startApproval' then (state->'startApproval'->>'approved')::boolean end,
           'outcome', state->>'outcome', 'decidedOn', state->'determination'->>'decidedOn',
           'revisedOnAppeal', coalesce((state->'determination'->>'revisedOnAppeal')::boolean, false),
           'appealed', state ? 'appeal', 'appealResult', state->'appeal'->'decision'->>'result', 'withdrawn', state ? 'withdrawal',
           'circumstances', coalesce(state->'determination'->'circumstances', '[]'::jsonb),
           'items', coalesce(state->'determination'->'circumstances', state->'investigationReport'->'circumstances', '[]'::jsonb)
                    || coalesce(state->'determination'->'mitigating', state->'investigationReport'->'mitigating', '[]'::jsonb)
                    || coalesce(state->'determination'->'exclusions', '[]'::jsonb),
           'unit', state->'subject'->>'organisation',
           'closedOn', case when closed then coalesce(state->'archive'->>'archivedOn', state->'withdrawal'->>'withdrawnOn') end,
           'lastAt', state->'timeline'->-1->>'at',
           'overdue', not closed and exists (select 1 from jsonb_array_elements(state->'deadlines') d where d->>'binds' = 'authority' and d->>'status' = 'lapsed' and d->>'metAt' is null),
           'deadlines', (select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('key', d->'key', 'binds', d->'binds', 'status', d->'status', 'metAt', d->'metAt'))), '[]'::jsonb) from jsonb_array_elements(state->'deadlines') d))`,
      `create index case_views_ledger on case_views (authority, opened_on, case_id)`,
    ],
  },
  {
    id: 91,
    name: 'typical-case summaries of concluded cases, reviewed before publication',
    statements: [
      `create table typical_cases (
        case_id text primary key,
        draft text not null,
        text text not null,
        status text not null check (status in ('draft', 'published')),
        drafted_by jsonb not null,
        drafted_at timestamptz not null default now(),
        reviewed_by jsonb,
        published_at timestamptz,
        scope text
      )`,
      // What was published stays as it was published.
      `create function typical_cases_published_kept() returns trigger language plpgsql as $$
       begin
         if old.status = 'published' then raise exception 'typical case % was published and is kept as published', old.case_id; end if;
         return case when tg_op = 'DELETE' then old else new end;
       end $$`,
      `create trigger typical_cases_published_kept before update or delete on typical_cases for each row execute function typical_cases_published_kept()`,
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
