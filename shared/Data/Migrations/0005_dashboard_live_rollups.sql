-- Dashboard rollups for the default view (design/API.md, "Dashboard figures": void and archived invoices left out),
-- next to 0004's general ones. Measured on the 200,000-invoice caller, a 12-month /dashboard read ~1,400 rows of
-- invoice_rollups (status and archived in every key) plus ~2,600 pending invoices for overdue, about 5 ms of server CPU
-- per request; the two tables below answer the same figures from ~1,000 and ~200 rows.
--
-- invoice_live_rollups: the invoices that count by default only (status <> 'void' AND archived_at IS NULL), so no key
-- carries status or archived: one row per (caller, dimension, grain, period, currency, value) with a count and a total.
--   dimension  'status' (value = the status: pending or paid), 'category' (value = lower(category)), 'payment_method'
--              (value = the method, '' when none), 'provider' (value = lower(provider))
--   grain      'year', 'month', 'day' as in 0004, read the same way (whole years, edge months, edge days, with signs).
-- With include=void or archived the dashboard reads 0004's table instead.
--
-- invoice_overdue_rollups: pending invoices that have a due date, by invoice date and due date. Overdue (pending,
-- due before today, dated in the period) depends on today, so it cannot be one running sum; it is a sum over two date
-- ranges (dated in the period, due before today), and each range is read as whole months plus edge days:
--   date_grain  'month' (date_period = first day of the invoice's month) or 'day' (date_period = the invoice date)
--   due_grain   'month' (due_period = first day of the due month)        or 'day' (due_period = the due date)
-- so a 12-month period is (its months x due months before this one) + (its months x this month's days before today),
-- a few hundred rows however many invoices there are. archived is in the key: include=archived adds archived ones.
--
-- Both are kept exact like 0004's: statement-level triggers with transition tables, in the writing transaction, one
-- signed change per old and new row, keys written in key order, rows whose count falls to zero kept and filtered out.

CREATE TABLE invoice_live_rollups (
    user_id        text COLLATE "C" NOT NULL,
    dimension      text COLLATE "C" NOT NULL CHECK (dimension IN ('status', 'category', 'payment_method', 'provider')),
    grain          text COLLATE "C" NOT NULL CHECK (grain IN ('day', 'month', 'year')),
    period         date    NOT NULL,
    currency       text COLLATE "C" NOT NULL,
    value          text COLLATE "C" NOT NULL,
    -- The spelling last written (a category or provider name); cosmetic, so it is not part of the key.
    label          text,
    invoice_count  bigint  NOT NULL,
    total          numeric NOT NULL,
    CONSTRAINT invoice_live_rollups_pkey PRIMARY KEY (user_id, dimension, grain, period, currency, value)
        INCLUDE (invoice_count, total, label)
);

-- A ranked provider's last invoice date and name in the period: its newest day row, from the top of this index.
CREATE INDEX invoice_live_rollups_provider_day_idx ON invoice_live_rollups (user_id, value, currency, period)
    INCLUDE (label, invoice_count)
    WHERE dimension = 'provider' AND grain = 'day';

CREATE TABLE invoice_overdue_rollups (
    user_id        text COLLATE "C" NOT NULL,
    date_grain     text COLLATE "C" NOT NULL CHECK (date_grain IN ('day', 'month')),
    due_grain      text COLLATE "C" NOT NULL CHECK (due_grain IN ('day', 'month')),
    date_period    date    NOT NULL,
    due_period     date    NOT NULL,
    currency       text COLLATE "C" NOT NULL,
    archived       boolean NOT NULL,
    invoice_count  bigint  NOT NULL,
    total          numeric NOT NULL,
    -- Invoice date first: a period's edge days read their few rows by date.
    CONSTRAINT invoice_overdue_rollups_pkey PRIMARY KEY (user_id, date_grain, due_grain, date_period, due_period, currency, archived)
        INCLUDE (invoice_count, total)
);

-- Months of the period x days of this month: by due date first, so only this month's due days are read.
CREATE INDEX invoice_overdue_rollups_due_day_idx ON invoice_overdue_rollups (user_id, due_period, date_period)
    INCLUDE (currency, archived, invoice_count, total)
    WHERE date_grain = 'month' AND due_grain = 'day';

-- Held like 0004's rollups: the caller's own rows only, also for the owner the triggers run as (FORCE); the settings in
-- sub-selects, evaluated once per statement.
ALTER TABLE invoice_live_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_live_rollups FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_overdue_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_overdue_rollups FORCE ROW LEVEL SECURITY;

CREATE POLICY invoice_live_rollups_caller_rows ON invoice_live_rollups
    USING (user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')));

CREATE POLICY invoice_live_rollups_read_all_callers ON invoice_live_rollups
    FOR SELECT
    USING ((SELECT current_setting('app.read_all_callers', true)) = 'on');

CREATE POLICY invoice_overdue_rollups_caller_rows ON invoice_overdue_rollups
    USING (user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')));

CREATE POLICY invoice_overdue_rollups_read_all_callers ON invoice_overdue_rollups
    FOR SELECT
    USING ((SELECT current_setting('app.read_all_callers', true)) = 'on');

-- Read by the functions, written only by the trigger (as the owner): a runtime role that could write here could make
-- its own figures lie.
GRANT SELECT ON invoice_live_rollups TO invoice_api_runtime;
GRANT SELECT ON invoice_overdue_rollups TO invoice_api_runtime;

-- What one changed invoice row contributes to these tables: +1 and its amount when it appears, -1 and minus its amount when it goes.
CREATE TYPE invoice_dashboard_change AS (
    user_id         text,
    date            date,
    due_date        date,
    currency        text,
    status          text,
    archived        boolean,
    category        text,
    payment_method  text,
    provider        text,
    sign            integer,
    amount          numeric
);

-- The live keys one invoice counts under: four dimensions at three grains.
CREATE FUNCTION invoice_live_rollup_keys(invoice_date date, status text, category text, payment_method text, provider text)
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
        ('provider', lower(provider), provider)) AS d (dimension, value, label)
$$;

-- The overdue keys of one pending invoice: its date and its due date, each at month and day grain.
CREATE FUNCTION invoice_overdue_rollup_keys(invoice_date date, due_date date)
RETURNS TABLE (date_grain text, due_grain text, date_period date, due_period date)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT a.grain, b.grain,
           CASE a.grain WHEN 'day' THEN invoice_date ELSE date_trunc('month', invoice_date::timestamp)::date END,
           CASE b.grain WHEN 'day' THEN due_date ELSE date_trunc('month', due_date::timestamp)::date END
    FROM (VALUES ('day'), ('month')) AS a (grain)
    CROSS JOIN (VALUES ('day'), ('month')) AS b (grain)
$$;

-- Adds a set of changes to both tables, each in key order (two transactions touching one caller's keys lock them in the
-- same order). A key whose count, total and spelling are unchanged (a description edit) is not written at all.
CREATE FUNCTION invoice_dashboard_rollups_apply(changes invoice_dashboard_change[])
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, public, pg_temp
AS $$
    INSERT INTO invoice_live_rollups AS r (user_id, dimension, grain, period, currency, value, label, invoice_count, total)
    SELECT c.user_id, k.dimension, k.grain, k.period, c.currency, k.value,
           max(k.label) FILTER (WHERE c.sign > 0), sum(c.sign), sum(c.sign * c.amount)
    FROM unnest(changes) AS c
    CROSS JOIN LATERAL invoice_live_rollup_keys(c.date, c.status, c.category, c.payment_method, c.provider) AS k
    WHERE c.status <> 'void' AND NOT c.archived
    GROUP BY c.user_id, k.dimension, k.grain, k.period, c.currency, k.value
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount) <> 0
        OR max(k.label) FILTER (WHERE c.sign > 0) IS DISTINCT FROM max(k.label) FILTER (WHERE c.sign < 0)
    ORDER BY c.user_id, k.dimension, k.grain, k.period, c.currency, k.value
    ON CONFLICT (user_id, dimension, grain, period, currency, value) DO UPDATE
        SET invoice_count = r.invoice_count + EXCLUDED.invoice_count,
            total = r.total + EXCLUDED.total,
            label = coalesce(EXCLUDED.label, r.label);

    INSERT INTO invoice_overdue_rollups AS r (user_id, date_grain, due_grain, date_period, due_period, currency, archived, invoice_count, total)
    SELECT c.user_id, k.date_grain, k.due_grain, k.date_period, k.due_period, c.currency, c.archived, sum(c.sign), sum(c.sign * c.amount)
    FROM unnest(changes) AS c
    CROSS JOIN LATERAL invoice_overdue_rollup_keys(c.date, c.due_date) AS k
    WHERE c.status = 'pending' AND c.due_date IS NOT NULL
    GROUP BY c.user_id, k.date_grain, k.due_grain, k.date_period, k.due_period, c.currency, c.archived
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount) <> 0
    ORDER BY c.user_id, k.date_grain, k.due_grain, k.date_period, k.due_period, c.currency, c.archived
    ON CONFLICT (user_id, date_grain, due_grain, date_period, due_period, currency, archived) DO UPDATE
        SET invoice_count = r.invoice_count + EXCLUDED.invoice_count,
            total = r.total + EXCLUDED.total;
$$;

-- The trigger body, SECURITY DEFINER with a pinned search_path as 0004's (the runtime role may not write these tables).
CREATE FUNCTION invoices_maintain_dashboard_rollups()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM invoice_dashboard_rollups_apply(ARRAY(
            SELECT ROW(n.user_id, n.date, n.due_date, n.currency, n.status, n.archived_at IS NOT NULL, n.category,
                       n.payment_method, n.provider, 1, n.amount)::invoice_dashboard_change
            FROM new_rows AS n));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM invoice_dashboard_rollups_apply(ARRAY(
            SELECT ROW(n.user_id, n.date, n.due_date, n.currency, n.status, n.archived_at IS NOT NULL, n.category,
                       n.payment_method, n.provider, 1, n.amount)::invoice_dashboard_change
            FROM new_rows AS n
            UNION ALL
            SELECT ROW(o.user_id, o.date, o.due_date, o.currency, o.status, o.archived_at IS NOT NULL, o.category,
                       o.payment_method, o.provider, -1, o.amount)::invoice_dashboard_change
            FROM old_rows AS o));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM invoice_dashboard_rollups_apply(ARRAY(
            SELECT ROW(o.user_id, o.date, o.due_date, o.currency, o.status, o.archived_at IS NOT NULL, o.category,
                       o.payment_method, o.provider, -1, o.amount)::invoice_dashboard_change
            FROM old_rows AS o));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION invoices_clear_dashboard_rollups()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    TRUNCATE invoice_live_rollups, invoice_overdue_rollups;
    RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION invoice_dashboard_rollups_apply(invoice_dashboard_change[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION invoices_maintain_dashboard_rollups() FROM PUBLIC;
REVOKE ALL ON FUNCTION invoices_clear_dashboard_rollups() FROM PUBLIC;

CREATE TRIGGER invoices_dashboard_rollups_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_maintain_dashboard_rollups();

CREATE TRIGGER invoices_dashboard_rollups_update AFTER UPDATE ON invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_maintain_dashboard_rollups();

CREATE TRIGGER invoices_dashboard_rollups_delete AFTER DELETE ON invoices
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_maintain_dashboard_rollups();

CREATE TRIGGER invoices_dashboard_rollups_truncate AFTER TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_clear_dashboard_rollups();

-- Backfill the invoices that exist already (FORCE lifted for this transaction's statements only, as in 0004).
ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_live_rollups NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_overdue_rollups NO FORCE ROW LEVEL SECURITY;

INSERT INTO invoice_live_rollups (user_id, dimension, grain, period, currency, value, label, invoice_count, total)
SELECT i.user_id, k.dimension, k.grain, k.period, i.currency, k.value, max(k.label), count(*), sum(i.amount)
FROM invoices AS i
CROSS JOIN LATERAL invoice_live_rollup_keys(i.date, i.status, i.category, i.payment_method, i.provider) AS k
WHERE i.status <> 'void' AND i.archived_at IS NULL
GROUP BY i.user_id, k.dimension, k.grain, k.period, i.currency, k.value;

INSERT INTO invoice_overdue_rollups (user_id, date_grain, due_grain, date_period, due_period, currency, archived, invoice_count, total)
SELECT i.user_id, k.date_grain, k.due_grain, k.date_period, k.due_period, i.currency, i.archived_at IS NOT NULL, count(*), sum(i.amount)
FROM invoices AS i
CROSS JOIN LATERAL invoice_overdue_rollup_keys(i.date, i.due_date) AS k
WHERE i.status = 'pending' AND i.due_date IS NOT NULL
GROUP BY i.user_id, k.date_grain, k.due_grain, k.date_period, k.due_period, i.currency, i.archived_at IS NOT NULL;

ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_live_rollups FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_overdue_rollups FORCE ROW LEVEL SECURITY;
