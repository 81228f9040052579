-- A change number per caller, so the Stats function can serve figures it already computed without computing them again.
-- Every statement that writes a caller's invoices gives the caller a new number, in the same transaction (statement-level
-- triggers, like the rollups'): a transaction that reads the same number as when figures were computed sees the same
-- invoices, so the same figures. Numbers come from one sequence and are never reused (not even after TRUNCATE), so two
-- different states of a caller's invoices never share one. A caller without a row has no invoices at all.
CREATE SEQUENCE invoice_caller_version_numbers AS bigint;

CREATE TABLE invoice_caller_versions (
    user_id  text COLLATE "C" PRIMARY KEY,
    version  bigint NOT NULL
);

-- Held like the rollups: the caller's own row only, also for the owner the triggers run as (FORCE).
ALTER TABLE invoice_caller_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_caller_versions FORCE ROW LEVEL SECURITY;

CREATE POLICY invoice_caller_versions_caller_rows ON invoice_caller_versions
    USING (user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')));

CREATE POLICY invoice_caller_versions_read_all_callers ON invoice_caller_versions
    FOR SELECT
    USING ((SELECT current_setting('app.read_all_callers', true)) = 'on');

-- Read by the functions, written only by the triggers (as the owner).
GRANT SELECT ON invoice_caller_versions TO invoice_api_runtime;

CREATE FUNCTION invoices_bump_caller_versions()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    -- Callers in key order, as the rollups lock theirs: two transactions never wait on each other's rows crosswise.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO invoice_caller_versions AS v (user_id, version)
        SELECT c.user_id, nextval('invoice_caller_version_numbers')
        FROM (SELECT DISTINCT user_id FROM new_rows ORDER BY user_id) AS c
        ON CONFLICT (user_id) DO UPDATE SET version = EXCLUDED.version;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO invoice_caller_versions AS v (user_id, version)
        SELECT c.user_id, nextval('invoice_caller_version_numbers')
        FROM (SELECT user_id FROM new_rows UNION SELECT user_id FROM old_rows ORDER BY user_id) AS c
        ON CONFLICT (user_id) DO UPDATE SET version = EXCLUDED.version;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO invoice_caller_versions AS v (user_id, version)
        SELECT c.user_id, nextval('invoice_caller_version_numbers')
        FROM (SELECT DISTINCT user_id FROM old_rows ORDER BY user_id) AS c
        ON CONFLICT (user_id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END
$$;

-- No invoices left: no rows, which means exactly that (the sequence goes on, so no number comes back).
CREATE FUNCTION invoices_clear_caller_versions()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    TRUNCATE invoice_caller_versions;
    RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION invoices_bump_caller_versions() FROM PUBLIC;
REVOKE ALL ON FUNCTION invoices_clear_caller_versions() FROM PUBLIC;

CREATE TRIGGER invoices_caller_versions_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_bump_caller_versions();

CREATE TRIGGER invoices_caller_versions_update AFTER UPDATE ON invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_bump_caller_versions();

CREATE TRIGGER invoices_caller_versions_delete AFTER DELETE ON invoices
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_bump_caller_versions();

CREATE TRIGGER invoices_caller_versions_truncate AFTER TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_clear_caller_versions();

-- Every caller that has invoices already gets a number (FORCE lifted for this transaction's statements only, as in 0004).
ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_caller_versions NO FORCE ROW LEVEL SECURITY;

INSERT INTO invoice_caller_versions (user_id, version)
SELECT c.user_id, nextval('invoice_caller_version_numbers')
FROM (SELECT DISTINCT user_id FROM invoices ORDER BY user_id) AS c;

ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_caller_versions FORCE ROW LEVEL SECURITY;
