-- PostgreSQL's roles (compose's postgres-roles job; `npm run cluster` runs the
-- same file with psql): the bootstrap superuser (POSTGRES_USER) runs only this.
--   temporal       owns Temporal's two databases, and nothing else
--   rongcuo_owner  owns the archive database and its tables: runs its migrations (store/migrations.ts)
--   rongcuo_app    the API's and the workers' role: reads and writes rows, no DDL
-- Idempotent, run at every start; a password changed in the operator's
-- environment is set here (README, Production topology: PostgreSQL roles).
\set ON_ERROR_STOP on
\getenv temporal_password TEMPORAL_DB_PASSWORD
\getenv owner_password ARCHIVE_OWNER_PASSWORD
\getenv app_password ARCHIVE_APP_PASSWORD

SELECT format('CREATE ROLE %I', r) FROM unnest(ARRAY['temporal', 'rongcuo_owner', 'rongcuo_app']) AS r
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) \gexec
ALTER ROLE temporal WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'temporal_password';
ALTER ROLE rongcuo_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'owner_password';
ALTER ROLE rongcuo_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'app_password';

-- Temporal's databases are made here, owned by its role, so the schema job needs no CREATEDB.
SELECT format('CREATE DATABASE %I OWNER temporal', d) FROM unnest(ARRAY['temporal', 'temporal_visibility']) AS d
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d) \gexec
ALTER DATABASE temporal OWNER TO temporal;
ALTER DATABASE temporal_visibility OWNER TO temporal;
ALTER DATABASE rongcuo OWNER TO rongcuo_owner;
-- Each role reaches only its databases: PUBLIC's default CONNECT and TEMP go.
REVOKE ALL ON DATABASE temporal, temporal_visibility, rongcuo FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE temporal, temporal_visibility TO temporal;
GRANT CONNECT ON DATABASE rongcuo TO rongcuo_app;

-- Deployments from before these roles kept every table under the superuser: hand them over.
\connect temporal
SELECT set_config('rongcuo.owner', 'temporal', false) \gset
\ir owned-by.sql
\connect temporal_visibility
SELECT set_config('rongcuo.owner', 'temporal', false) \gset
\ir owned-by.sql
\connect rongcuo
SELECT set_config('rongcuo.owner', 'rongcuo_owner', false) \gset
\ir owned-by.sql

-- In the archive only the owner creates; the app's role gets rows, now and in every table a migration adds.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO rongcuo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO rongcuo_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO rongcuo_app;
ALTER DEFAULT PRIVILEGES FOR ROLE rongcuo_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO rongcuo_app;
ALTER DEFAULT PRIVILEGES FOR ROLE rongcuo_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO rongcuo_app;
-- Except what is append-only: the app's role adds to the access log and the notes, never changes
-- or removes a row (store/migrations.ts revokes the same when it makes these tables).
DO $$
BEGIN
  IF to_regclass('public.access_log') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON public.access_log FROM rongcuo_app;
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.access_log_anchor FROM rongcuo_app;
  END IF;
  IF to_regclass('public.case_notes') IS NOT NULL THEN
    REVOKE UPDATE, DELETE, TRUNCATE ON public.case_notes FROM rongcuo_app;
  END IF;
END $$;
