-- Cheaper writes (docs/benchmarks.md, issue 17). Every write of an invoice upserts about thirty rollup rows and writes a
-- history entry; measured, most of a write's PostgreSQL time was the upserts' index work and the history's per-row
-- function calls, not the figures themselves. Nothing here changes what any table holds or any reader sees.
--
-- 1. Rollup updates become HOT (heap-only tuple) updates. An upsert that finds its row updates it; PostgreSQL can keep
-- that update on the row's own page and leave every index alone only when no indexed column changes and the page has
-- room. Until now neither held: the secondary indexes carried the counts and totals (INCLUDE, for index-only reads), so
-- every update wrote a new entry into every index of the table, and the hottest keys (an account's year, its month)
-- piled up dead index entries that each later upsert walked past. Measured on a copy of three accounts' rollup rows
-- (310,335 rows, 7,402 upserts of existing keys, eight alternating rounds): 330 ms median before, 170 ms with the
-- indexes below and room on the pages, 99.6 % of the updates HOT.
--
-- So: the secondary indexes keep their keys and the columns that never change in a row (status, archived, nit,
-- currency), and drop the counts, totals and labels; the readers that used them fetch those few rows from the table.
-- The tax rollups' primary key drops its INCLUDE for the same reason. Each rollup table leaves 30 % of every page free
-- (fillfactor 70) for the new versions of its rows, and is rewritten once here (CLUSTER, in primary-key order, which
-- also puts an account's keys side by side) so the pages that exist get that room now rather than over months of
-- vacuums. The rewrite holds each table's exclusive lock while it runs: about a minute for 1,000,000 invoices' rollups
-- (docs/operations.md).
ALTER TABLE invoice_rollups SET (fillfactor = 70);
ALTER TABLE invoice_live_rollups SET (fillfactor = 70);
ALTER TABLE invoice_overdue_rollups SET (fillfactor = 70);
ALTER TABLE invoice_tax_rollups SET (fillfactor = 70);
ALTER TABLE invoice_account_versions SET (fillfactor = 70);

DROP INDEX invoice_rollups_provider_idx;
CREATE INDEX invoice_rollups_provider_idx ON invoice_rollups (account_id, value, currency, grain, period)
    INCLUDE (status, archived, nit)
    WHERE dimension = 'provider';

DROP INDEX invoice_live_rollups_provider_day_idx;
CREATE INDEX invoice_live_rollups_provider_day_idx ON invoice_live_rollups (account_id, value, currency, period)
    WHERE dimension = 'provider' AND grain = 'day';

DROP INDEX invoice_overdue_rollups_due_day_idx;
CREATE INDEX invoice_overdue_rollups_due_day_idx ON invoice_overdue_rollups (account_id, due_period, date_period)
    INCLUDE (currency, archived)
    WHERE date_grain = 'month' AND due_grain = 'day';

ALTER TABLE invoice_tax_rollups DROP CONSTRAINT invoice_tax_rollups_pkey,
    ADD CONSTRAINT invoice_tax_rollups_pkey PRIMARY KEY (account_id, grain, period, currency, kind, scheme, rate, slot);

CLUSTER invoice_rollups USING invoice_rollups_pkey;
CLUSTER invoice_live_rollups USING invoice_live_rollups_pkey;
CLUSTER invoice_overdue_rollups USING invoice_overdue_rollups_pkey;
CLUSTER invoice_tax_rollups USING invoice_tax_rollups_pkey;
CLUSTER invoice_account_versions USING invoice_account_versions_pkey;

-- 2. An import's grouping fits in memory: 10,000 invoices make about 150,000 (row, key) pairs per rollup table, which
-- spilled to disk under the default 4 MB (measured: 760 ms to group them spilled, 430 ms in memory). The setting holds
-- only while the function runs.
ALTER FUNCTION invoice_rollups_apply(invoice_rollup_change[]) SET work_mem = '64MB';
ALTER FUNCTION invoice_dashboard_rollups_apply(invoice_dashboard_change[]) SET work_mem = '64MB';

-- 3. The history entry without a function call per row. invoice_history_fields loses its SET clause and is declared
-- STABLE, as its body is (a text-to-timestamptz cast), so PostgreSQL inlines it into the trigger's statement; the diff
-- that invoice_history_changes computed in a function of its own is now a sub-select in the statement. The entries
-- are the same, field for field. (Without a search_path of its own the body still resolves only pg_catalog's
-- operators and functions: pg_catalog is searched first whatever the path.) Inlining puts the argument in place of
-- each of the body's nine uses of it, so the statements turn each row into jsonb once, in a sub-select of its own, and
-- pass that column: the row's to_jsonb inlined nine times made the entries slower than the function call (measured).
-- 0011's body is kept; only its attributes change.
ALTER FUNCTION invoice_history_fields(jsonb) STABLE RESET search_path;

CREATE OR REPLACE FUNCTION invoices_record_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    operation text := NULLIF(current_setting('app.operation', true), '');
BEGIN
    -- A change made outside the API (an operator's SQL) is recorded too, as 'sql' by the database login. Each branch
    -- names only the transition tables its event has (plpgsql plans a statement when it first runs it). A field is in
    -- the entry when its value changed (for a create: when it has one), in field order, old and new.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO invoice_history (account_id, invoice_id, at, operation, member_id, member_email, version, changes)
        SELECT n.account_id, n.id, now(), coalesce(operation, 'sql'),
               CASE WHEN operation IS NULL THEN session_user::text ELSE n.updated_by END,
               CASE WHEN operation IS NULL THEN NULL ELSE n.updated_by_email END,
               n.version,
               (SELECT coalesce(jsonb_agg(jsonb_build_object('field', f.key, 'old', 'null'::jsonb, 'new', f.value) ORDER BY f.key), '[]')
                FROM jsonb_each(invoice_history_fields(r.new_row) - 'account_id') AS f
                WHERE f.value <> 'null'::jsonb)
        FROM new_rows AS n
        CROSS JOIN LATERAL (SELECT to_jsonb(n) AS new_row OFFSET 0) AS r
        ORDER BY n.account_id, n.id;
    ELSE
        INSERT INTO invoice_history (account_id, invoice_id, at, operation, member_id, member_email, version, changes)
        SELECT n.account_id, n.id, now(), coalesce(operation, 'sql'),
               CASE WHEN operation IS NULL THEN session_user::text ELSE n.updated_by END,
               CASE WHEN operation IS NULL THEN NULL ELSE n.updated_by_email END,
               n.version,
               (SELECT coalesce(jsonb_agg(jsonb_build_object('field', f.key, 'old', coalesce(h.old_fields -> f.key, 'null'), 'new', f.value) ORDER BY f.key), '[]')
                FROM jsonb_each(h.new_fields) AS f
                WHERE f.value IS DISTINCT FROM coalesce(h.old_fields -> f.key, 'null'))
        FROM new_rows AS n
        JOIN old_rows AS o ON o.id = n.id
        CROSS JOIN LATERAL (SELECT to_jsonb(o) AS old_row, to_jsonb(n) AS new_row OFFSET 0) AS r
        CROSS JOIN LATERAL (SELECT invoice_history_fields(r.old_row) AS old_fields, invoice_history_fields(r.new_row) AS new_fields OFFSET 0) AS h
        ORDER BY n.account_id, n.id;
    END IF;
    RETURN NULL;
END
$$;

DROP FUNCTION invoice_history_changes(jsonb, jsonb);
