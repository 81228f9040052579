-- The second wall of tenant isolation: PostgreSQL itself refuses any other caller's invoice, even to a query that
-- forgets its "WHERE user_id = ..." (design/API.md: a caller never sees, changes or counts another caller's invoices).
--
-- How it works: the data layer sets app.user_id (and app.read_all_callers for an admin read) with
-- set_config(..., true), so the setting lives for one transaction only and never leaks to the next user of a pooled
-- connection; the policies below compare every row with it.
--
-- What an operator does on Cloud SQL, once per instance:
--   1. The migrator runs as the role that owns the schema (for example Cloud SQL's postgres user). The first time, that
--      role needs CREATEROLE to create the group role invoice_api_runtime below (Cloud SQL's postgres user has it).
--   2. Create a separate LOGIN user for the functions and grant it the group role, as the owner:
--        password: CREATE ROLE invoice_api_app LOGIN PASSWORD '...' IN ROLE invoice_api_runtime;
--                  (created in SQL rather than with gcloud sql users create, which would also make it a member of
--                  cloudsqlsuperuser with CREATEROLE and CREATEDB: more than the functions need)
--        IAM:      gcloud sql users create SA@PROJECT.iam --instance=INSTANCE --type=cloud_iam_service_account
--                  then: GRANT invoice_api_runtime TO "SA@PROJECT.iam";
--   3. Deploy the functions with DB_USER (and DB_PASS) of that user, never the owner's: /readyz refuses a superuser,
--      a role with BYPASSRLS, and the owner of invoices (or a member of the owner), because row-level security does
--      not hold them (a superuser and BYPASSRLS skip it; the owner is held by FORCE but could switch it off).

-- Roles belong to the whole cluster, and several databases may share this one: create it only if it is missing.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'invoice_api_runtime') THEN
        CREATE ROLE invoice_api_runtime NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION
    -- Another database's migrator created it between the check and the CREATE.
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- A member could SET ROLE to it, so an existing role that skips row-level security is refused, not trusted.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'invoice_api_runtime' AND (rolsuper OR rolbypassrls)) THEN
        RAISE EXCEPTION 'role invoice_api_runtime exists with SUPERUSER or BYPASSRLS; a superuser must run ALTER ROLE invoice_api_runtime NOSUPERUSER NOBYPASSRLS first';
    END IF;
END
$$;

-- Exactly what the functions need: read, record, change (archiving is an UPDATE). No DELETE, TRUNCATE, REFERENCES or
-- TRIGGER. No ALTER DEFAULT PRIVILEGES either: each later migration grants on its own tables, in the open.
GRANT USAGE ON SCHEMA public TO invoice_api_runtime;
GRANT SELECT, INSERT, UPDATE ON invoices TO invoice_api_runtime;

-- FORCE makes the policies hold the table's owner too (by default an owner skips them).
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;

-- A caller's own rows, for every command; WITH CHECK refuses writing a row for someone else.
-- current_setting(..., true) is NULL in a session that never set it and '' after a transaction that set it locally
-- has ended; NULLIF makes both NULL, which matches no row.
CREATE POLICY invoices_caller_rows ON invoices
    USING (user_id = NULLIF(current_setting('app.user_id', true), ''))
    WITH CHECK (user_id = NULLIF(current_setting('app.user_id', true), ''));

-- An admin's explicit read across callers. FOR SELECT only: an INSERT, UPDATE or DELETE is held by the policy above
-- alone, so a write never reaches another caller's row, whatever app.read_all_callers says.
CREATE POLICY invoices_read_all_callers ON invoices
    FOR SELECT
    USING (current_setting('app.read_all_callers', true) = 'on');

-- A later data migration that must touch every row runs ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY first and
-- FORCE again at its end: the owner is held by the policies too, and would otherwise change no row at all.
