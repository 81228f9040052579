-- Tax figures (docs/api.md, "Tax figures"): per account the taxes and withholdings of its invoices (0011's taxes and
-- withholdings lists), summed by month and day, so Stats answers an IVA period or a dashboard window from a few dozen
-- rows instead of expanding every invoice's jsonb lists.
--
-- invoice_tax_rollups: one row per (account, grain, period, currency, kind, scheme, rate, slot) with the number of
-- invoices carrying a line of that key and the sums of the lines' bases and amounts.
--   kind    'tax' (the taxes list: IVA 01, IC 02, ICA 03, INC 04...) or 'withholding' (ReteIVA 05, ReteRenta 06, ReteICA 07)
--   rate    the line's rate as written (canonical: "19", "0.966"), '' for a per-unit tax whose rate is null
--   grain   'month' (period = first day of the month: IVA periods are whole months) or 'day' (period = the invoice
--           date: the dashboard's windows start and end on any day, read as whole months plus or minus edge days)
--   name    the scheme's name as last written ("IVA", "ReteRenta"); cosmetic, so not part of the key
-- Only the invoices that count by default (status <> 'void' AND archived_at IS NULL): a void invoice owes no tax and an
-- archived one has left the books. A credit note's lines are negative (0011), so it subtracts from every sum by
-- itself; it still counts as one invoice carrying the key.
--
-- Kept exact like 0004, 0005 and 0010's rollups: statement-level triggers with transition tables, in the writing
-- transaction, one signed change per old and new row (an invoice with two lines of one key is one change), keys written
-- in key order to the transaction's write slot (invoice_write_slot, 0010), rows whose count falls to zero kept and
-- filtered out by the readers, which sum over slots first.
--
-- No change number is bumped: no table an earlier version reads changes, and no Stats instance has kept figures from
-- this table before it existed.

CREATE TABLE invoice_tax_rollups (
    account_id     text COLLATE "C" NOT NULL,
    grain          text COLLATE "C" NOT NULL CHECK (grain IN ('day', 'month')),
    period         date     NOT NULL,
    currency       text COLLATE "C" NOT NULL,
    kind           text COLLATE "C" NOT NULL CHECK (kind IN ('tax', 'withholding')),
    scheme         text COLLATE "C" NOT NULL,
    rate           text COLLATE "C" NOT NULL,
    slot           smallint NOT NULL CHECK (slot BETWEEN 0 AND 15),
    name           text,
    -- No CHECK (>= 0): a slot's row may be negative (0010), and ON CONFLICT checks the proposed delta row.
    invoice_count  bigint   NOT NULL,
    base           numeric  NOT NULL,
    amount         numeric  NOT NULL,
    -- Grain and period first: a year's months and a window's edge days are each one index range, read index-only.
    CONSTRAINT invoice_tax_rollups_pkey PRIMARY KEY (account_id, grain, period, currency, kind, scheme, rate, slot)
        INCLUDE (invoice_count, base, amount, name)
);

-- Held like the other rollups: the account's own rows, also for the owner the triggers run as (FORCE); an admin's
-- explicit read across accounts, SELECT only; the settings in sub-selects, evaluated once per statement.
ALTER TABLE invoice_tax_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_tax_rollups FORCE ROW LEVEL SECURITY;

CREATE POLICY invoice_tax_rollups_account_rows ON invoice_tax_rollups
    USING (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')))
    WITH CHECK (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')));
CREATE POLICY invoice_tax_rollups_read_all_accounts ON invoice_tax_rollups FOR SELECT
    USING ((SELECT current_setting('app.read_all_accounts', true)) = 'on');

-- Read by the functions, written only by the trigger (as the owner): a runtime role that could write here could make
-- its own tax figures lie.
GRANT SELECT ON invoice_tax_rollups TO invoice_api_runtime;

-- What one changed invoice row contributes under one key: sign +1 when it appears, -1 when it goes, with its lines' sums.
CREATE TYPE invoice_tax_change AS (
    account_id  text,
    date        date,
    currency    text,
    kind        text,
    scheme      text,
    rate        text,
    name        text,
    sign        integer,
    base        numeric,
    amount      numeric
);

-- The changes of one invoice row: its taxes and withholdings lines grouped by (kind, scheme, rate), so an invoice with
-- two lines of one key counts once. The one place that reads the lists' shape; the trigger and the backfill use it.
-- A line without a base or amount (none should exist; the API writes both) adds 0 rather than failing the write.
CREATE FUNCTION invoice_tax_changes(invoice_account text, invoice_date date, invoice_currency text, taxes jsonb, withholdings jsonb, change_sign integer)
RETURNS SETOF invoice_tax_change
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT invoice_account, invoice_date, invoice_currency, l.kind, coalesce(l.line ->> 'scheme', ''), coalesce(l.line ->> 'rate', ''),
           max(l.line ->> 'name'), change_sign,
           change_sign * sum(coalesce((l.line ->> 'base')::numeric, 0)), change_sign * sum(coalesce((l.line ->> 'amount')::numeric, 0))
    FROM (SELECT 'tax' AS kind, t.line FROM jsonb_array_elements(taxes) AS t (line)
          UNION ALL
          SELECT 'withholding', w.line FROM jsonb_array_elements(withholdings) AS w (line)) AS l
    GROUP BY l.kind, coalesce(l.line ->> 'scheme', ''), coalesce(l.line ->> 'rate', '')
$$;

-- Adds a set of changes at month and day grain, in key order (two transactions touching one account's keys lock them
-- in the same order), to each account's write slot. A key whose count, sums and name are unchanged (an edit that
-- moved no tax) is not written at all. PL/pgSQL, as 0010's: it keeps its plan for the session, where a SQL function
-- would be parsed and planned again on every write.
CREATE FUNCTION invoice_tax_rollups_apply(changes invoice_tax_change[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    -- Most writes carry no taxes: they take no write slot and run no statement here.
    IF cardinality(changes) = 0 THEN
        RETURN;
    END IF;
    WITH slots AS MATERIALIZED (
        SELECT a.account_id, invoice_write_slot(a.account_id) AS slot
        FROM (SELECT DISTINCT c.account_id FROM unnest(changes) AS c ORDER BY 1) AS a
    )
    INSERT INTO invoice_tax_rollups AS r (account_id, grain, period, currency, kind, scheme, rate, slot, name, invoice_count, base, amount)
    SELECT c.account_id, k.grain, k.period, c.currency, c.kind, c.scheme, c.rate, s.slot,
           max(c.name) FILTER (WHERE c.sign > 0), sum(c.sign), sum(c.base), sum(c.amount)
    FROM unnest(changes) AS c
    JOIN slots AS s ON s.account_id = c.account_id
    CROSS JOIN LATERAL (VALUES ('day', c.date), ('month', date_trunc('month', c.date::timestamp)::date)) AS k (grain, period)
    GROUP BY c.account_id, k.grain, k.period, c.currency, c.kind, c.scheme, c.rate, s.slot
    HAVING sum(c.sign) <> 0 OR sum(c.base) <> 0 OR sum(c.amount) <> 0
        OR max(c.name) FILTER (WHERE c.sign > 0) IS DISTINCT FROM max(c.name) FILTER (WHERE c.sign < 0)
    ORDER BY c.account_id, k.grain, k.period, c.currency, c.kind, c.scheme, c.rate, s.slot
    ON CONFLICT (account_id, grain, period, currency, kind, scheme, rate, slot) DO UPDATE
        SET invoice_count = r.invoice_count + EXCLUDED.invoice_count,
            base = r.base + EXCLUDED.base,
            amount = r.amount + EXCLUDED.amount,
            name = coalesce(EXCLUDED.name, r.name);
END
$$;

-- The trigger body, SECURITY DEFINER with a pinned search_path as the others (the runtime role may not write the
-- table). An invoice without taxes or withholdings has nothing to add or take away, so it is skipped before its lists
-- are read. Each branch names only the transition tables its event has (plpgsql plans a statement when it first runs it).
CREATE FUNCTION invoices_maintain_tax_rollups()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM invoice_tax_rollups_apply(ARRAY(
            SELECT c FROM new_rows AS n
            CROSS JOIN LATERAL invoice_tax_changes(n.account_id, n.date, n.currency, n.taxes, n.withholdings, 1) AS c
            WHERE n.status <> 'void' AND n.archived_at IS NULL AND (n.taxes <> '[]' OR n.withholdings <> '[]')));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM invoice_tax_rollups_apply(ARRAY(
            SELECT c FROM new_rows AS n
            CROSS JOIN LATERAL invoice_tax_changes(n.account_id, n.date, n.currency, n.taxes, n.withholdings, 1) AS c
            WHERE n.status <> 'void' AND n.archived_at IS NULL AND (n.taxes <> '[]' OR n.withholdings <> '[]')
            UNION ALL
            SELECT c FROM old_rows AS o
            CROSS JOIN LATERAL invoice_tax_changes(o.account_id, o.date, o.currency, o.taxes, o.withholdings, -1) AS c
            WHERE o.status <> 'void' AND o.archived_at IS NULL AND (o.taxes <> '[]' OR o.withholdings <> '[]')));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM invoice_tax_rollups_apply(ARRAY(
            SELECT c FROM old_rows AS o
            CROSS JOIN LATERAL invoice_tax_changes(o.account_id, o.date, o.currency, o.taxes, o.withholdings, -1) AS c
            WHERE o.status <> 'void' AND o.archived_at IS NULL AND (o.taxes <> '[]' OR o.withholdings <> '[]')));
    END IF;
    RETURN NULL;
END
$$;

-- TRUNCATE (an operator's, never the functions') empties the tax rollups with it.
CREATE FUNCTION invoices_clear_tax_rollups()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    TRUNCATE invoice_tax_rollups;
    RETURN NULL;
END
$$;

-- Nobody calls these directly; the triggers do, as the owner.
REVOKE ALL ON FUNCTION invoice_tax_changes(text, date, text, jsonb, jsonb, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION invoice_tax_rollups_apply(invoice_tax_change[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION invoices_maintain_tax_rollups() FROM PUBLIC;
REVOKE ALL ON FUNCTION invoices_clear_tax_rollups() FROM PUBLIC;

CREATE TRIGGER invoices_tax_rollups_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_maintain_tax_rollups();

CREATE TRIGGER invoices_tax_rollups_update AFTER UPDATE ON invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_maintain_tax_rollups();

CREATE TRIGGER invoices_tax_rollups_delete AFTER DELETE ON invoices
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_maintain_tax_rollups();

CREATE TRIGGER invoices_tax_rollups_truncate AFTER TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_clear_tax_rollups();

-- Backfill the invoices that exist already, into slot 0 (FORCE lifted for this transaction's statements only, as in 0004).
ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_tax_rollups NO FORCE ROW LEVEL SECURITY;

INSERT INTO invoice_tax_rollups (account_id, grain, period, currency, kind, scheme, rate, slot, name, invoice_count, base, amount)
SELECT c.account_id, k.grain, k.period, c.currency, c.kind, c.scheme, c.rate, 0, max(c.name), count(*), sum(c.base), sum(c.amount)
FROM invoices AS i
CROSS JOIN LATERAL invoice_tax_changes(i.account_id, i.date, i.currency, i.taxes, i.withholdings, 1) AS c
CROSS JOIN LATERAL (VALUES ('day', c.date), ('month', date_trunc('month', c.date::timestamp)::date)) AS k (grain, period)
WHERE i.status <> 'void' AND i.archived_at IS NULL
GROUP BY c.account_id, k.grain, k.period, c.currency, c.kind, c.scheme, c.rate;

ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice_tax_rollups FORCE ROW LEVEL SECURITY;

-- A move between accounts (0008) rewrites both accounts' tax rollups through the triggers above, which no single
-- account's policy allows: the body is 0008's plus invoice_tax_rollups in the FORCE switches.
CREATE OR REPLACE FUNCTION invoice_move_account(from_account text, to_account text)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    moved bigint;
BEGIN
    IF from_account IS NULL OR to_account IS NULL OR char_length(to_account) NOT BETWEEN 1 AND 128 OR from_account = to_account THEN
        RAISE EXCEPTION 'invoice_move_account needs two different accounts, the target 1 to 128 characters (got % and %)',
            coalesce(quote_literal(from_account), 'NULL'), coalesce(quote_literal(to_account), 'NULL');
    END IF;
    ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_history NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE idempotency_keys NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_rollups NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_live_rollups NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_overdue_rollups NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_tax_rollups NO FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_account_versions NO FORCE ROW LEVEL SECURITY;
    -- The earlier entries first: the move's own entries are written under the target by the UPDATE's trigger.
    UPDATE invoice_history SET account_id = to_account WHERE account_id = from_account;
    PERFORM set_config('app.operation', '', true);
    UPDATE invoices SET account_id = to_account WHERE account_id = from_account;
    GET DIAGNOSTICS moved = ROW_COUNT;
    DELETE FROM idempotency_keys AS f
    WHERE f.account_id = from_account
      AND EXISTS (SELECT FROM idempotency_keys AS t WHERE t.account_id = to_account AND t.member_id = f.member_id AND t.key = f.key);
    UPDATE idempotency_keys SET account_id = to_account WHERE account_id = from_account;
    ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_history FORCE ROW LEVEL SECURITY;
    ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_rollups FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_live_rollups FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_overdue_rollups FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_tax_rollups FORCE ROW LEVEL SECURITY;
    ALTER TABLE invoice_account_versions FORCE ROW LEVEL SECURITY;
    RETURN moved;
END
$$;
