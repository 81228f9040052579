-- Dashboard rollups (design/API.md, "Dashboard figures"): per-caller sums that the Stats function reads instead of
-- grouping the raw invoices, so a caller with 200,000 invoices gets a 12-month dashboard from a few thousand rows.
--
-- Exactness: the rollups are never recomputed, never eventually consistent. Statement-level triggers on invoices see
-- every changed row (transition tables: INSERT, INSERT ... SELECT and COPY of imports, UPDATE of any column, ON CONFLICT,
-- DELETE) and, in the same transaction as the write, subtract each old row's contribution and add each new row's.
-- A change that moves no figure (description, ocr_data, version...) nets to zero per key and writes nothing.
--
-- Shape: one row per (caller, dimension, grain, period, currency, status, archived, value, nit) with a count and a total.
--   dimension  'all' (totals and statuses), 'category' (value = lower(category): compared case-insensitively),
--              'payment_method' (value = the method, '' when none), 'provider' (value = lower(provider), nit = its NIT or '')
--   grain      'year' (period = January 1st), 'month' (period = first day of the month) and 'day' (period = the invoice
--              date): a date range reads whole years at year grain, its partial edge years at month grain (added, or
--              subtracted from a whole year when that reads fewer months) and its partial edge months at day grain
--              (likewise), so twelve months of a heavy caller's providers are two or three slices of rows, not twelve;
--              the trend reads months alone.
-- Rows whose count falls to zero are kept (a key that empties usually fills again) and every reader filters them out.
-- Overdue depends on today, so it is not rolled up: it is read from the pending invoices themselves through the
-- covering partial index below, which holds only pending rows.

CREATE TABLE invoice_rollups (
    -- Keys compare byte-wise (COLLATE "C"): they are codes and lower-cased names, and the dashboard groups and sorts
    -- thousands of them per request, several times faster than under a linguistic collation.
    user_id        text COLLATE "C" NOT NULL,
    dimension      text COLLATE "C" NOT NULL CHECK (dimension IN ('all', 'category', 'payment_method', 'provider')),
    grain          text COLLATE "C" NOT NULL CHECK (grain IN ('day', 'month', 'year')),
    period         date    NOT NULL,
    currency       text COLLATE "C" NOT NULL,
    status         text COLLATE "C" NOT NULL,
    archived       boolean NOT NULL,
    value          text COLLATE "C" NOT NULL,
    nit            text COLLATE "C" NOT NULL,
    -- The spelling last written (a category or provider name); cosmetic, so it is not part of the key.
    label          text,
    -- No CHECK (>= 0): INSERT ... ON CONFLICT checks the proposed row, a negative delta, before it becomes an UPDATE.
    invoice_count  bigint  NOT NULL,
    total          numeric NOT NULL,
    -- INCLUDE: the dashboard reads count, total and spelling from the index alone (an index-only scan), not from
    -- scattered heap pages (VACUUM keeps the visibility map set, as autovacuum does in production).
    CONSTRAINT invoice_rollups_pkey PRIMARY KEY (user_id, dimension, grain, period, currency, status, archived, value, nit)
        INCLUDE (invoice_count, total, label)
);

-- One provider's rows in date order: its last invoice date and name (newest day row) and its NIT (newest month row
-- that has one) for the few providers a ranking returns, each found from the top of this index without the heap.
CREATE INDEX invoice_rollups_provider_idx ON invoice_rollups (user_id, value, currency, grain, period)
    INCLUDE (status, archived, nit, label, invoice_count)
    WHERE dimension = 'provider';

-- Overdue figures (pending, due before today, issued in the period) read this index alone.
CREATE INDEX invoices_user_overdue_idx ON invoices (user_id, due_date) INCLUDE (date, currency, amount, archived_at)
    WHERE status = 'pending' AND due_date IS NOT NULL;

-- Per-caller rows, held like invoices: the caller's own rows only, also for the owner (FORCE). The trigger below runs
-- as the owner, so FORCE also holds it to the rollups of the caller whose transaction wrote the invoice.
ALTER TABLE invoice_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_rollups FORCE ROW LEVEL SECURITY;

-- The settings are read in sub-selects: evaluated once per statement (an InitPlan), not once per row of the thousands
-- a dashboard reads, and the caller's id can then bound the index scan.
CREATE POLICY invoice_rollups_caller_rows ON invoice_rollups
    USING (user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')));

CREATE POLICY invoice_rollups_read_all_callers ON invoice_rollups
    FOR SELECT
    USING ((SELECT current_setting('app.read_all_callers', true)) = 'on');

-- The functions read rollups and never write them: only the trigger does, as the owner. A runtime role that could
-- write here could make its own figures lie, so it gets SELECT alone.
GRANT SELECT ON invoice_rollups TO invoice_api_runtime;

-- What one changed invoice row contributes: +1 and its amount when it appears, -1 and minus its amount when it goes.
CREATE TYPE invoice_rollup_change AS (
    user_id         text,
    date            date,
    currency        text,
    status          text,
    archived        boolean,
    category        text,
    payment_method  text,
    provider        text,
    nit             text,
    sign            integer,
    amount          numeric
);

-- The rollup keys one invoice counts under: four dimensions at three grains. Inlined by the planner where it is used.
CREATE FUNCTION invoice_rollup_keys(invoice_date date, category text, payment_method text, provider text, nit text)
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
        ('provider', lower(provider), coalesce(nit, ''), provider)) AS d (dimension, value, nit, label)
$$;

-- Adds a set of changes to the rollups. Keys are written in key order, so two transactions touching the same caller's
-- rows lock them in the same order and cannot deadlock each other here.
CREATE FUNCTION invoice_rollups_apply(changes invoice_rollup_change[])
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, public, pg_temp
AS $$
    INSERT INTO invoice_rollups AS r
        (user_id, dimension, grain, period, currency, status, archived, value, nit, label, invoice_count, total)
    SELECT c.user_id, k.dimension, k.grain, k.period, c.currency, c.status, c.archived, k.value, k.nit,
           max(k.label) FILTER (WHERE c.sign > 0), sum(c.sign), sum(c.sign * c.amount)
    FROM unnest(changes) AS c
    CROSS JOIN LATERAL invoice_rollup_keys(c.date, c.category, c.payment_method, c.provider, c.nit) AS k
    GROUP BY c.user_id, k.dimension, k.grain, k.period, c.currency, c.status, c.archived, k.value, k.nit
    -- A key whose count, total and spelling are unchanged (a description edit) is not written at all.
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount) <> 0
        OR max(k.label) FILTER (WHERE c.sign > 0) IS DISTINCT FROM max(k.label) FILTER (WHERE c.sign < 0)
    ORDER BY c.user_id, k.dimension, k.grain, k.period, c.currency, c.status, c.archived, k.value, k.nit
    ON CONFLICT (user_id, dimension, grain, period, currency, status, archived, value, nit) DO UPDATE
        SET invoice_count = r.invoice_count + EXCLUDED.invoice_count,
            total = r.total + EXCLUDED.total,
            label = coalesce(EXCLUDED.label, r.label)
$$;

-- The trigger body. SECURITY DEFINER: it runs as the owner (who may write rollups) for a runtime role that may not;
-- search_path is pinned so that nothing the caller's session puts on its path can stand in for these objects.
CREATE FUNCTION invoices_maintain_rollups()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM invoice_rollups_apply(ARRAY(
            SELECT ROW(n.user_id, n.date, n.currency, n.status, n.archived_at IS NOT NULL, n.category, n.payment_method,
                       n.provider, n.nit, 1, n.amount)::invoice_rollup_change
            FROM new_rows AS n));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM invoice_rollups_apply(ARRAY(
            SELECT ROW(n.user_id, n.date, n.currency, n.status, n.archived_at IS NOT NULL, n.category, n.payment_method,
                       n.provider, n.nit, 1, n.amount)::invoice_rollup_change
            FROM new_rows AS n
            UNION ALL
            SELECT ROW(o.user_id, o.date, o.currency, o.status, o.archived_at IS NOT NULL, o.category, o.payment_method,
                       o.provider, o.nit, -1, o.amount)::invoice_rollup_change
            FROM old_rows AS o));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM invoice_rollups_apply(ARRAY(
            SELECT ROW(o.user_id, o.date, o.currency, o.status, o.archived_at IS NOT NULL, o.category, o.payment_method,
                       o.provider, o.nit, -1, o.amount)::invoice_rollup_change
            FROM old_rows AS o));
    END IF;
    RETURN NULL;
END
$$;

-- TRUNCATE (an operator's, never the functions') empties the rollups with it.
CREATE FUNCTION invoices_clear_rollups()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    TRUNCATE invoice_rollups;
    RETURN NULL;
END
$$;

-- Nobody calls these directly; the triggers do, as the owner.
REVOKE ALL ON FUNCTION invoice_rollups_apply(invoice_rollup_change[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION invoices_maintain_rollups() FROM PUBLIC;
REVOKE ALL ON FUNCTION invoices_clear_rollups() FROM PUBLIC;

CREATE TRIGGER invoices_rollups_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_maintain_rollups();

CREATE TRIGGER invoices_rollups_update AFTER UPDATE ON invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_maintain_rollups();

CREATE TRIGGER invoices_rollups_delete AFTER DELETE ON invoices
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_maintain_rollups();

CREATE TRIGGER invoices_rollups_truncate AFTER TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_clear_rollups();

-- Backfill the invoices that exist already, in one grouped pass. The owner is held by FORCE on both tables and no caller
-- is set here, so FORCE is lifted for this transaction's statements and restored before it commits (0002's rule).
ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_rollups NO FORCE ROW LEVEL SECURITY;

INSERT INTO invoice_rollups (user_id, dimension, grain, period, currency, status, archived, value, nit, label, invoice_count, total)
SELECT i.user_id, k.dimension, k.grain, k.period, i.currency, i.status, i.archived_at IS NOT NULL, k.value, k.nit,
       max(k.label), count(*), sum(i.amount)
FROM invoices AS i
CROSS JOIN LATERAL invoice_rollup_keys(i.date, i.category, i.payment_method, i.provider, i.nit) AS k
GROUP BY i.user_id, k.dimension, k.grain, k.period, i.currency, i.status, i.archived_at IS NOT NULL, k.value, k.nit;

ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_rollups FORCE ROW LEVEL SECURITY;

-- A later data migration that writes invoices lifts FORCE on invoice_rollups too (as above), or sets app.user_id to
-- the caller whose invoices it changes: the triggers write that caller's rollups under the same policies.
