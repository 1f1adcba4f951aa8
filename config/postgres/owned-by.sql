-- Included by roles.sql in each database: every table, view and free-standing
-- sequence of the public schema goes to the role in the setting rongcuo.owner
-- (a sequence of a serial or identity column follows its table).
DO $$
DECLARE
  target text := current_setting('rongcuo.owner');
  r record;
BEGIN
  FOR r IN
    SELECT c.relkind, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) <> target
      AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s public.%I OWNER TO %I',
      CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.relname, target);
  END LOOP;
  EXECUTE format('ALTER SCHEMA public OWNER TO %I', target);
END $$;
