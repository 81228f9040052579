-- Shared books (docs/accounts.md): invoices belong to a business account, used by its members with roles, and every
-- change is recorded in the invoice's history.
--
-- Ownership moves from the user to the account: every user_id becomes account_id, and an existing row's account is
-- its old user id, which is exactly the personal account of a caller whose token names no account. Nothing changes
-- for current callers: they keep seeing, counting and changing the same invoices.
--
-- Row-level security now reads app.account_id (the account the request acts for), app.account_role (the member's role
-- in it: writes need editor or owner, a second wall behind the function's own 403) and app.read_all_accounts (an
-- admin's explicit read); app.operation names the change being made, for the history.

-- 1. The columns, types, tables, indexes and triggers that said "user" or "caller" say "account".
ALTER TABLE invoices RENAME COLUMN user_id TO account_id;
ALTER TABLE idempotency_keys RENAME COLUMN user_id TO account_id;
ALTER TABLE invoice_rollups RENAME COLUMN user_id TO account_id;
ALTER TABLE invoice_live_rollups RENAME COLUMN user_id TO account_id;
ALTER TABLE invoice_overdue_rollups RENAME COLUMN user_id TO account_id;
ALTER TABLE invoice_caller_versions RENAME COLUMN user_id TO account_id;
ALTER TABLE invoice_caller_versions RENAME TO invoice_account_versions;
ALTER INDEX invoice_caller_versions_pkey RENAME TO invoice_account_versions_pkey;
ALTER SEQUENCE invoice_caller_version_numbers RENAME TO invoice_account_version_numbers;
ALTER FUNCTION invoices_bump_caller_versions() RENAME TO invoices_bump_account_versions;
ALTER FUNCTION invoices_clear_caller_versions() RENAME TO invoices_clear_account_versions;
ALTER TRIGGER invoices_caller_versions_insert ON invoices RENAME TO invoices_account_versions_insert;
ALTER TRIGGER invoices_caller_versions_update ON invoices RENAME TO invoices_account_versions_update;
ALTER TRIGGER invoices_caller_versions_delete ON invoices RENAME TO invoices_account_versions_delete;
ALTER TRIGGER invoices_caller_versions_truncate ON invoices RENAME TO invoices_account_versions_truncate;
ALTER INDEX invoices_user_date_idx RENAME TO invoices_account_date_idx;
ALTER INDEX invoices_user_created_idx RENAME TO invoices_account_created_idx;
ALTER INDEX invoices_user_amount_idx RENAME TO invoices_account_amount_idx;
ALTER INDEX invoices_user_provider_idx RENAME TO invoices_account_provider_idx;
ALTER INDEX invoices_user_nit_idx RENAME TO invoices_account_nit_idx;
ALTER INDEX invoices_user_pending_due_idx RENAME TO invoices_account_pending_due_idx;
ALTER INDEX invoices_user_overdue_idx RENAME TO invoices_account_overdue_idx;
ALTER TYPE invoice_rollup_change RENAME ATTRIBUTE user_id TO account_id;
ALTER TYPE invoice_dashboard_change RENAME ATTRIBUTE user_id TO account_id;

-- 2. Who recorded and who last changed each invoice: the member's id (the token's sub) and, when the token carried a
-- verified one, the email. Existing invoices were recorded and last changed by their old user.
ALTER TABLE invoices
    ADD COLUMN created_by text,
    ADD COLUMN created_by_email text CHECK (char_length(created_by_email) <= 320),
    ADD COLUMN updated_by text,
    ADD COLUMN updated_by_email text CHECK (char_length(updated_by_email) <= 320);

-- The triggers would record nothing of this backfill (no key changes), but would still read every row twice.
ALTER TABLE invoices DISABLE TRIGGER USER;
ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;
UPDATE invoices SET created_by = account_id, updated_by = account_id;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
ALTER TABLE invoices ENABLE TRIGGER USER;

ALTER TABLE invoices
    ALTER COLUMN created_by SET NOT NULL,
    ALTER COLUMN updated_by SET NOT NULL,
    ADD CONSTRAINT invoices_created_by_length CHECK (char_length(created_by) BETWEEN 1 AND 128),
    ADD CONSTRAINT invoices_updated_by_length CHECK (char_length(updated_by) BETWEEN 1 AND 128);

-- Lists filtered by who recorded the invoice (created_by=).
CREATE INDEX invoices_account_created_by_idx ON invoices (account_id, created_by, date DESC, id DESC);

-- 3. Idempotency keys are per account and member: two members of one account never collide on a key.
ALTER TABLE idempotency_keys ADD COLUMN member_id text;
ALTER TABLE idempotency_keys NO FORCE ROW LEVEL SECURITY;
UPDATE idempotency_keys SET member_id = account_id;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys
    ALTER COLUMN member_id SET NOT NULL,
    ADD CONSTRAINT idempotency_keys_member_id_length CHECK (char_length(member_id) BETWEEN 1 AND 128),
    DROP CONSTRAINT idempotency_keys_pkey,
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (account_id, member_id, key);

-- 4. The policies, on the account. Every old one goes; the new ones read the new settings.
DROP POLICY invoices_caller_rows ON invoices;
DROP POLICY invoices_read_all_callers ON invoices;
DROP POLICY idempotency_keys_caller_rows ON idempotency_keys;
DROP POLICY invoice_rollups_caller_rows ON invoice_rollups;
DROP POLICY invoice_rollups_read_all_callers ON invoice_rollups;
DROP POLICY invoice_live_rollups_caller_rows ON invoice_live_rollups;
DROP POLICY invoice_live_rollups_read_all_callers ON invoice_live_rollups;
DROP POLICY invoice_overdue_rollups_caller_rows ON invoice_overdue_rollups;
DROP POLICY invoice_overdue_rollups_read_all_callers ON invoice_overdue_rollups;
DROP POLICY invoice_caller_versions_caller_rows ON invoice_account_versions;
DROP POLICY invoice_caller_versions_read_all_callers ON invoice_account_versions;

-- The account's own rows, for every command; WITH CHECK refuses writing a row for another account. NULLIF: a session
-- that never set the account, or whose transaction that set it has ended, matches no row.
CREATE POLICY invoices_account_rows ON invoices
    USING (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')))
    WITH CHECK (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')));

-- Writes need an editor or an owner, whatever the function checked first. RESTRICTIVE: it narrows the policy above,
-- it never widens it. A viewer's transaction can read its account's invoices and write none.
CREATE POLICY invoices_writers_insert ON invoices AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT current_setting('app.account_role', true)) IN ('editor', 'owner'));
CREATE POLICY invoices_writers_update ON invoices AS RESTRICTIVE FOR UPDATE
    USING ((SELECT current_setting('app.account_role', true)) IN ('editor', 'owner'));

-- An admin's explicit read across accounts. FOR SELECT only: no write ever reaches another account's row.
CREATE POLICY invoices_read_all_accounts ON invoices FOR SELECT
    USING ((SELECT current_setting('app.read_all_accounts', true)) = 'on');

CREATE POLICY idempotency_keys_account_rows ON idempotency_keys
    USING (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')))
    WITH CHECK (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')));

CREATE POLICY invoice_rollups_account_rows ON invoice_rollups
    USING (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')))
    WITH CHECK (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')));
CREATE POLICY invoice_rollups_read_all_accounts ON invoice_rollups FOR SELECT
    USING ((SELECT current_setting('app.read_all_accounts', true)) = 'on');

CREATE POLICY invoice_live_rollups_account_rows ON invoice_live_rollups
    USING (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')))
    WITH CHECK (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')));
CREATE POLICY invoice_live_rollups_read_all_accounts ON invoice_live_rollups FOR SELECT
    USING ((SELECT current_setting('app.read_all_accounts', true)) = 'on');

CREATE POLICY invoice_overdue_rollups_account_rows ON invoice_overdue_rollups
    USING (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')))
    WITH CHECK (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')));
CREATE POLICY invoice_overdue_rollups_read_all_accounts ON invoice_overdue_rollups FOR SELECT
    USING ((SELECT current_setting('app.read_all_accounts', true)) = 'on');

CREATE POLICY invoice_account_versions_account_rows ON invoice_account_versions
    USING (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')))
    WITH CHECK (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')));
CREATE POLICY invoice_account_versions_read_all_accounts ON invoice_account_versions FOR SELECT
    USING ((SELECT current_setting('app.read_all_accounts', true)) = 'on');

-- 5. The rollups gain a created_by dimension (invoices recorded per member, /dashboard?breakdown=created_by), and their
-- functions read account_id. Same discipline as 0004 and 0005: one signed change per old and new row, keys in order.
-- The bodies below are 0004-0006's with account_id and created_by: PostgreSQL keeps a function body as text, so a
-- renamed column needs a new body, and an applied migration is never edited.
ALTER TYPE invoice_rollup_change ADD ATTRIBUTE created_by text;
ALTER TYPE invoice_dashboard_change ADD ATTRIBUTE created_by text;

ALTER TABLE invoice_rollups DROP CONSTRAINT invoice_rollups_dimension_check,
    ADD CONSTRAINT invoice_rollups_dimension_check CHECK (dimension IN ('all', 'category', 'payment_method', 'provider', 'created_by'));
ALTER TABLE invoice_live_rollups DROP CONSTRAINT invoice_live_rollups_dimension_check,
    ADD CONSTRAINT invoice_live_rollups_dimension_check CHECK (dimension IN ('status', 'category', 'payment_method', 'provider', 'created_by'));

DROP FUNCTION invoice_rollup_keys(date, text, text, text, text);
CREATE FUNCTION invoice_rollup_keys(invoice_date date, category text, payment_method text, provider text, nit text, created_by text)
RETURNS TABLE (dimension text, grain text, period date, value text, nit text, label text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT d.dimension, g.grain,
           CASE g.grain WHEN 'day' THEN invoice_date
                        WHEN 'month' THEN date_trunc('month', invoice_date::timestamp)::date
                        ELSE date_trunc('year', invoice_date::timestamp)::date END,
           d.value, d.nit, d.label
    FROM (VALUES ('day'), ('month'), ('year')) AS g (grain)
    CROSS JOIN (VALUES
        ('all', '', '', NULL::text),
        ('category', lower(category), '', category),
        ('payment_method', coalesce(payment_method, ''), '', NULL::text),
        ('provider', lower(provider), coalesce(nit, ''), provider),
        ('created_by', created_by, '', NULL::text)) AS d (dimension, value, nit, label)
$$;

CREATE OR REPLACE FUNCTION invoice_rollups_apply(changes invoice_rollup_change[])
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, public, pg_temp
AS $$
    INSERT INTO invoice_rollups AS r
        (account_id, dimension, grain, period, currency, status, archived, value, nit, label, invoice_count, total)
    SELECT c.account_id, k.dimension, k.grain, k.period, c.currency, c.status, c.archived, k.value, k.nit,
           max(k.label) FILTER (WHERE c.sign > 0), sum(c.sign), sum(c.sign * c.amount)
    FROM unnest(changes) AS c
    CROSS JOIN LATERAL invoice_rollup_keys(c.date, c.category, c.payment_method, c.provider, c.nit, c.created_by) AS k
    GROUP BY c.account_id, k.dimension, k.grain, k.period, c.currency, c.status, c.archived, k.value, k.nit
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount) <> 0
        OR max(k.label) FILTER (WHERE c.sign > 0) IS DISTINCT FROM max(k.label) FILTER (WHERE c.sign < 0)
    ORDER BY c.account_id, k.dimension, k.grain, k.period, c.currency, c.status, c.archived, k.value, k.nit
    ON CONFLICT (account_id, dimension, grain, period, currency, status, archived, value, nit) DO UPDATE
        SET invoice_count = r.invoice_count + EXCLUDED.invoice_count,
            total = r.total + EXCLUDED.total,
            label = coalesce(EXCLUDED.label, r.label)
$$;

CREATE OR REPLACE FUNCTION invoices_maintain_rollups()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM invoice_rollups_apply(ARRAY(
            SELECT ROW(n.account_id, n.date, n.currency, n.status, n.archived_at IS NOT NULL, n.category, n.payment_method,
                       n.provider, n.nit, 1, n.amount, n.created_by)::invoice_rollup_change
            FROM new_rows AS n));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM invoice_rollups_apply(ARRAY(
            SELECT ROW(n.account_id, n.date, n.currency, n.status, n.archived_at IS NOT NULL, n.category, n.payment_method,
                       n.provider, n.nit, 1, n.amount, n.created_by)::invoice_rollup_change
            FROM new_rows AS n
            UNION ALL
            SELECT ROW(o.account_id, o.date, o.currency, o.status, o.archived_at IS NOT NULL, o.category, o.payment_method,
                       o.provider, o.nit, -1, o.amount, o.created_by)::invoice_rollup_change
            FROM old_rows AS o));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM invoice_rollups_apply(ARRAY(
            SELECT ROW(o.account_id, o.date, o.currency, o.status, o.archived_at IS NOT NULL, o.category, o.payment_method,
                       o.provider, o.nit, -1, o.amount, o.created_by)::invoice_rollup_change
            FROM old_rows AS o));
    END IF;
    RETURN NULL;
END
$$;

DROP FUNCTION invoice_live_rollup_keys(date, text, text, text, text);
CREATE FUNCTION invoice_live_rollup_keys(invoice_date date, status text, category text, payment_method text, provider text, created_by text)
RETURNS TABLE (dimension text, grain text, period date, value text, label text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT d.dimension, g.grain,
           CASE g.grain WHEN 'day' THEN invoice_date
                        WHEN 'month' THEN date_trunc('month', invoice_date::timestamp)::date
                        ELSE date_trunc('year', invoice_date::timestamp)::date END,
           d.value, d.label
    FROM (VALUES ('day'), ('month'), ('year')) AS g (grain)
    CROSS JOIN (VALUES
        ('status', status, NULL::text),
        ('category', lower(category), category),
        ('payment_method', coalesce(payment_method, ''), NULL::text),
        ('provider', lower(provider), provider),
        ('created_by', created_by, NULL::text)) AS d (dimension, value, label)
$$;

CREATE OR REPLACE FUNCTION invoice_dashboard_rollups_apply(changes invoice_dashboard_change[])
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, public, pg_temp
AS $$
    INSERT INTO invoice_live_rollups AS r (account_id, dimension, grain, period, currency, value, label, invoice_count, total)
    SELECT c.account_id, k.dimension, k.grain, k.period, c.currency, k.value,
           max(k.label) FILTER (WHERE c.sign > 0), sum(c.sign), sum(c.sign * c.amount)
    FROM unnest(changes) AS c
    CROSS JOIN LATERAL invoice_live_rollup_keys(c.date, c.status, c.category, c.payment_method, c.provider, c.created_by) AS k
    WHERE c.status <> 'void' AND NOT c.archived
    GROUP BY c.account_id, k.dimension, k.grain, k.period, c.currency, k.value
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount) <> 0
        OR max(k.label) FILTER (WHERE c.sign > 0) IS DISTINCT FROM max(k.label) FILTER (WHERE c.sign < 0)
    ORDER BY c.account_id, k.dimension, k.grain, k.period, c.currency, k.value
    ON CONFLICT (account_id, dimension, grain, period, currency, value) DO UPDATE
        SET invoice_count = r.invoice_count + EXCLUDED.invoice_count,
            total = r.total + EXCLUDED.total,
            label = coalesce(EXCLUDED.label, r.label);

    INSERT INTO invoice_overdue_rollups AS r (account_id, date_grain, due_grain, date_period, due_period, currency, archived, invoice_count, total)
    SELECT c.account_id, k.date_grain, k.due_grain, k.date_period, k.due_period, c.currency, c.archived, sum(c.sign), sum(c.sign * c.amount)
    FROM unnest(changes) AS c
    CROSS JOIN LATERAL invoice_overdue_rollup_keys(c.date, c.due_date) AS k
    WHERE c.status = 'pending' AND c.due_date IS NOT NULL
    GROUP BY c.account_id, k.date_grain, k.due_grain, k.date_period, k.due_period, c.currency, c.archived
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount) <> 0
    ORDER BY c.account_id, k.date_grain, k.due_grain, k.date_period, k.due_period, c.currency, c.archived
    ON CONFLICT (account_id, date_grain, due_grain, date_period, due_period, currency, archived) DO UPDATE
        SET invoice_count = r.invoice_count + EXCLUDED.invoice_count,
            total = r.total + EXCLUDED.total;
$$;

CREATE OR REPLACE FUNCTION invoices_maintain_dashboard_rollups()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM invoice_dashboard_rollups_apply(ARRAY(
            SELECT ROW(n.account_id, n.date, n.due_date, n.currency, n.status, n.archived_at IS NOT NULL, n.category,
                       n.payment_method, n.provider, 1, n.amount, n.created_by)::invoice_dashboard_change
            FROM new_rows AS n));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM invoice_dashboard_rollups_apply(ARRAY(
            SELECT ROW(n.account_id, n.date, n.due_date, n.currency, n.status, n.archived_at IS NOT NULL, n.category,
                       n.payment_method, n.provider, 1, n.amount, n.created_by)::invoice_dashboard_change
            FROM new_rows AS n
            UNION ALL
            SELECT ROW(o.account_id, o.date, o.due_date, o.currency, o.status, o.archived_at IS NOT NULL, o.category,
                       o.payment_method, o.provider, -1, o.amount, o.created_by)::invoice_dashboard_change
            FROM old_rows AS o));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM invoice_dashboard_rollups_apply(ARRAY(
            SELECT ROW(o.account_id, o.date, o.due_date, o.currency, o.status, o.archived_at IS NOT NULL, o.category,
                       o.payment_method, o.provider, -1, o.amount, o.created_by)::invoice_dashboard_change
            FROM old_rows AS o));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION invoices_bump_account_versions()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    -- Accounts in key order, as the rollups lock theirs: two transactions never wait on each other's rows crosswise.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO invoice_account_versions AS v (account_id, version)
        SELECT c.account_id, nextval('invoice_account_version_numbers')
        FROM (SELECT DISTINCT account_id FROM new_rows ORDER BY account_id) AS c
        ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO invoice_account_versions AS v (account_id, version)
        SELECT c.account_id, nextval('invoice_account_version_numbers')
        FROM (SELECT account_id FROM new_rows UNION SELECT account_id FROM old_rows ORDER BY account_id) AS c
        ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO invoice_account_versions AS v (account_id, version)
        SELECT c.account_id, nextval('invoice_account_version_numbers')
        FROM (SELECT DISTINCT account_id FROM old_rows ORDER BY account_id) AS c
        ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION invoices_clear_account_versions()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    TRUNCATE invoice_account_versions;
    RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION invoice_rollup_keys(date, text, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION invoice_live_rollup_keys(date, text, text, text, text, text) FROM PUBLIC;

-- The created_by rows of the invoices that exist already (FORCE lifted for this transaction's statements only).
ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_rollups NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_live_rollups NO FORCE ROW LEVEL SECURITY;

INSERT INTO invoice_rollups (account_id, dimension, grain, period, currency, status, archived, value, nit, label, invoice_count, total)
SELECT i.account_id, k.dimension, k.grain, k.period, i.currency, i.status, i.archived_at IS NOT NULL, k.value, k.nit,
       max(k.label), count(*), sum(i.amount)
FROM invoices AS i
CROSS JOIN LATERAL invoice_rollup_keys(i.date, i.category, i.payment_method, i.provider, i.nit, i.created_by) AS k
WHERE k.dimension = 'created_by'
GROUP BY i.account_id, k.dimension, k.grain, k.period, i.currency, i.status, i.archived_at IS NOT NULL, k.value, k.nit;

INSERT INTO invoice_live_rollups (account_id, dimension, grain, period, currency, value, label, invoice_count, total)
SELECT i.account_id, k.dimension, k.grain, k.period, i.currency, k.value, max(k.label), count(*), sum(i.amount)
FROM invoices AS i
CROSS JOIN LATERAL invoice_live_rollup_keys(i.date, i.status, i.category, i.payment_method, i.provider, i.created_by) AS k
WHERE i.status <> 'void' AND i.archived_at IS NULL AND k.dimension = 'created_by'
GROUP BY i.account_id, k.dimension, k.grain, k.period, i.currency, k.value;

ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_rollups FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_live_rollups FORCE ROW LEVEL SECURITY;

-- 6. The history: one entry per change of an invoice, written by a trigger in the changing transaction, so no write
-- path can skip it and none can be half-recorded. The runtime role may only read it: entries are inserted by the
-- trigger (as the owner), and no role of the functions may UPDATE or DELETE them.
CREATE TABLE invoice_history (
    account_id    text COLLATE "C" NOT NULL,
    invoice_id    uuid NOT NULL,
    -- Ordered within the account: newest first is a backward scan of the primary key.
    entry         bigint GENERATED ALWAYS AS IDENTITY,
    at            timestamptz NOT NULL,
    -- create, replace, patch, archive, restore, import (from app.operation), or sql for a change made outside the API.
    operation     text NOT NULL CHECK (operation IN ('create', 'replace', 'patch', 'archive', 'restore', 'import', 'sql')),
    member_id     text NOT NULL,
    member_email  text,
    -- The invoice's version after the change: the ETag the change produced.
    version       integer NOT NULL,
    -- [{"field": ..., "old": ..., "new": ...}], in field order; values as the API writes them.
    changes       jsonb NOT NULL,
    CONSTRAINT invoice_history_pkey PRIMARY KEY (account_id, invoice_id, entry)
);

ALTER TABLE invoice_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_history FORCE ROW LEVEL SECURITY;

CREATE POLICY invoice_history_account_rows ON invoice_history
    USING (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')))
    WITH CHECK (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')));
CREATE POLICY invoice_history_read_all_accounts ON invoice_history FOR SELECT
    USING ((SELECT current_setting('app.read_all_accounts', true)) = 'on');

GRANT SELECT ON invoice_history TO invoice_api_runtime;

-- An invoice row (its to_jsonb) as the API writes its fields: amounts and timestamps as strings, the rest as JSON
-- already is. It takes jsonb, not the table's row type, so no function depends on the invoices table's shape. account_id
-- is a field like the others: it changes only when an operator moves books between accounts (0008), and the history
-- shows that move.
CREATE FUNCTION invoice_history_fields(invoice jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT (invoice - ARRAY['id', 'created_at', 'updated_at', 'version', 'created_by', 'created_by_email', 'updated_by',
                            'updated_by_email'])
        || jsonb_build_object(
            'amount', invoice ->> 'amount',
            'archived_at', to_char((invoice ->> 'archived_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
$$;

-- One entry per changed row: who (the member the function wrote into updated_by), when, what operation, the version it
-- produced, and each field whose value changed, old and new (for a create: every field given a value, but not the
-- account every entry is read within).
CREATE FUNCTION invoice_history_changes(old_fields jsonb, new_fields jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('field', f.key, 'old', coalesce(old_fields -> f.key, 'null'), 'new', f.value) ORDER BY f.key), '[]')
    FROM jsonb_each(new_fields) AS f
    WHERE f.value IS DISTINCT FROM coalesce(old_fields -> f.key, 'null')
$$;

CREATE FUNCTION invoices_record_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    operation text := NULLIF(current_setting('app.operation', true), '');
BEGIN
    -- A change made outside the API (an operator's SQL) is recorded too, as 'sql' by the database login. Each branch
    -- names only the transition tables its event has (plpgsql plans a statement when it first runs it).
    IF TG_OP = 'INSERT' THEN
        INSERT INTO invoice_history (account_id, invoice_id, at, operation, member_id, member_email, version, changes)
        SELECT n.account_id, n.id, now(), coalesce(operation, 'sql'),
               CASE WHEN operation IS NULL THEN session_user::text ELSE n.updated_by END,
               CASE WHEN operation IS NULL THEN NULL ELSE n.updated_by_email END,
               n.version, invoice_history_changes('{}', invoice_history_fields(to_jsonb(n)) - 'account_id')
        FROM new_rows AS n
        ORDER BY n.account_id, n.id;
    ELSE
        INSERT INTO invoice_history (account_id, invoice_id, at, operation, member_id, member_email, version, changes)
        SELECT n.account_id, n.id, now(), coalesce(operation, 'sql'),
               CASE WHEN operation IS NULL THEN session_user::text ELSE n.updated_by END,
               CASE WHEN operation IS NULL THEN NULL ELSE n.updated_by_email END,
               n.version, invoice_history_changes(invoice_history_fields(to_jsonb(o)), invoice_history_fields(to_jsonb(n)))
        FROM new_rows AS n
        JOIN old_rows AS o ON o.id = n.id
        ORDER BY n.account_id, n.id;
    END IF;
    RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION invoice_history_fields(jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION invoice_history_changes(jsonb, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION invoices_record_history() FROM PUBLIC;

CREATE TRIGGER invoices_history_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_record_history();

CREATE TRIGGER invoices_history_update AFTER UPDATE ON invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_record_history();
