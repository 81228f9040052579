-- Writers of one account no longer queue behind each other (docs/benchmarks.md, issue 17). Until now every write of
-- an account upserted the same rollup rows (the account's day, month and year of each dimension) and its one
-- change-number row, holding their row locks until commit: sixteen members writing at once ran one after the other.
--
-- Now each of those tables has a slot in its key, 0 to 15. A writing transaction uses, per account, the lowest slot no
-- other open transaction of that account holds (a transaction-scoped advisory lock on the account's hash and the slot),
-- so a lone writer always writes slot 0 and concurrent writers write different rows. A figure is the sum over an
-- account's slots; every delta still lands in exactly one row, inside the changing transaction, so every sum stays exact.
-- A slot's row may hold a negative count (an invoice counted in slot 0, moved out of the key by a transaction in slot
-- 3): readers sum first and filter after.
--
-- Stats' change number becomes the sum and the largest of the slots' numbers: each write gives its slot a new number
-- from the sequence, larger than the slot had (writes to one slot are serialized by its lock), so every commit raises
-- the sum; and numbers are never reused, so the largest tells states apart across a TRUNCATE, as before.

CREATE FUNCTION invoice_write_slot(account text)
RETURNS smallint
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    account_key constant integer := hashtext(account);
    fallback integer;
BEGIN
    -- The transaction's own slot succeeds again (advisory locks are reentrant), so its later statements reuse it or a lower one.
    FOR slot IN 0..15 LOOP
        IF pg_try_advisory_xact_lock(account_key, slot) THEN
            RETURN slot;
        END IF;
    END LOOP;
    -- Sixteen writers of this account are at work: wait for one of them, picked by the transaction id so waiters spread.
    fallback := (txid_current() % 16)::integer;
    PERFORM pg_advisory_xact_lock(account_key, fallback);
    RETURN fallback;
END
$$;

REVOKE ALL ON FUNCTION invoice_write_slot(text) FROM PUBLIC;

-- The slot joins each key; existing rows are slot 0 (ADD COLUMN with a constant default rewrites nothing).
ALTER TABLE invoice_rollups ADD COLUMN slot smallint NOT NULL DEFAULT 0 CHECK (slot BETWEEN 0 AND 15);
ALTER TABLE invoice_rollups DROP CONSTRAINT invoice_rollups_pkey,
    ADD CONSTRAINT invoice_rollups_pkey PRIMARY KEY (account_id, dimension, grain, period, currency, status, archived, value, nit, slot);
ALTER TABLE invoice_live_rollups ADD COLUMN slot smallint NOT NULL DEFAULT 0 CHECK (slot BETWEEN 0 AND 15);
ALTER TABLE invoice_live_rollups DROP CONSTRAINT invoice_live_rollups_pkey,
    ADD CONSTRAINT invoice_live_rollups_pkey PRIMARY KEY (account_id, dimension, grain, period, currency, value, slot);
ALTER TABLE invoice_overdue_rollups ADD COLUMN slot smallint NOT NULL DEFAULT 0 CHECK (slot BETWEEN 0 AND 15);
ALTER TABLE invoice_overdue_rollups DROP CONSTRAINT invoice_overdue_rollups_pkey,
    ADD CONSTRAINT invoice_overdue_rollups_pkey PRIMARY KEY (account_id, date_grain, due_grain, date_period, due_period, currency, archived, slot);
ALTER TABLE invoice_account_versions ADD COLUMN slot smallint NOT NULL DEFAULT 0 CHECK (slot BETWEEN 0 AND 15);
ALTER TABLE invoice_account_versions DROP CONSTRAINT invoice_account_versions_pkey,
    ADD CONSTRAINT invoice_account_versions_pkey PRIMARY KEY (account_id, slot);

-- 0007's bodies with the slot: the accounts' slots first (once per account and statement), then the same grouped upsert.
-- In PL/pgSQL now, which keeps each statement's plan for the session: as SQL functions they were parsed and planned
-- again on every write (the same cost the read scope showed, 0009).
CREATE OR REPLACE FUNCTION invoice_rollups_apply(changes invoice_rollup_change[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    WITH slots AS MATERIALIZED (
        SELECT a.account_id, invoice_write_slot(a.account_id) AS slot
        FROM (SELECT DISTINCT c.account_id FROM unnest(changes) AS c ORDER BY 1) AS a
    )
    INSERT INTO invoice_rollups AS r
        (account_id, dimension, grain, period, currency, status, archived, value, nit, slot, label, invoice_count, total)
    SELECT c.account_id, k.dimension, k.grain, k.period, c.currency, c.status, c.archived, k.value, k.nit, s.slot,
           max(k.label) FILTER (WHERE c.sign > 0), sum(c.sign), sum(c.sign * c.amount)
    FROM unnest(changes) AS c
    JOIN slots AS s ON s.account_id = c.account_id
    CROSS JOIN LATERAL invoice_rollup_keys(c.date, c.category, c.payment_method, c.provider, c.nit, c.created_by) AS k
    GROUP BY c.account_id, k.dimension, k.grain, k.period, c.currency, c.status, c.archived, k.value, k.nit, s.slot
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount) <> 0
        OR max(k.label) FILTER (WHERE c.sign > 0) IS DISTINCT FROM max(k.label) FILTER (WHERE c.sign < 0)
    ORDER BY c.account_id, k.dimension, k.grain, k.period, c.currency, c.status, c.archived, k.value, k.nit, s.slot
    ON CONFLICT (account_id, dimension, grain, period, currency, status, archived, value, nit, slot) DO UPDATE
        SET invoice_count = r.invoice_count + EXCLUDED.invoice_count,
            total = r.total + EXCLUDED.total,
            label = coalesce(EXCLUDED.label, r.label);
END
$$;

CREATE OR REPLACE FUNCTION invoice_dashboard_rollups_apply(changes invoice_dashboard_change[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    WITH slots AS MATERIALIZED (
        SELECT a.account_id, invoice_write_slot(a.account_id) AS slot
        FROM (SELECT DISTINCT c.account_id FROM unnest(changes) AS c ORDER BY 1) AS a
    )
    INSERT INTO invoice_live_rollups AS r (account_id, dimension, grain, period, currency, value, slot, label, invoice_count, total)
    SELECT c.account_id, k.dimension, k.grain, k.period, c.currency, k.value, s.slot,
           max(k.label) FILTER (WHERE c.sign > 0), sum(c.sign), sum(c.sign * c.amount)
    FROM unnest(changes) AS c
    JOIN slots AS s ON s.account_id = c.account_id
    CROSS JOIN LATERAL invoice_live_rollup_keys(c.date, c.status, c.category, c.payment_method, c.provider, c.created_by) AS k
    WHERE c.status <> 'void' AND NOT c.archived
    GROUP BY c.account_id, k.dimension, k.grain, k.period, c.currency, k.value, s.slot
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount) <> 0
        OR max(k.label) FILTER (WHERE c.sign > 0) IS DISTINCT FROM max(k.label) FILTER (WHERE c.sign < 0)
    ORDER BY c.account_id, k.dimension, k.grain, k.period, c.currency, k.value, s.slot
    ON CONFLICT (account_id, dimension, grain, period, currency, value, slot) DO UPDATE
        SET invoice_count = r.invoice_count + EXCLUDED.invoice_count,
            total = r.total + EXCLUDED.total,
            label = coalesce(EXCLUDED.label, r.label);

    WITH slots AS MATERIALIZED (
        SELECT a.account_id, invoice_write_slot(a.account_id) AS slot
        FROM (SELECT DISTINCT c.account_id FROM unnest(changes) AS c ORDER BY 1) AS a
    )
    INSERT INTO invoice_overdue_rollups AS r (account_id, date_grain, due_grain, date_period, due_period, currency, archived, slot, invoice_count, total)
    SELECT c.account_id, k.date_grain, k.due_grain, k.date_period, k.due_period, c.currency, c.archived, s.slot, sum(c.sign), sum(c.sign * c.amount)
    FROM unnest(changes) AS c
    JOIN slots AS s ON s.account_id = c.account_id
    CROSS JOIN LATERAL invoice_overdue_rollup_keys(c.date, c.due_date) AS k
    WHERE c.status = 'pending' AND c.due_date IS NOT NULL
    GROUP BY c.account_id, k.date_grain, k.due_grain, k.date_period, k.due_period, c.currency, c.archived, s.slot
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount) <> 0
    ORDER BY c.account_id, k.date_grain, k.due_grain, k.date_period, k.due_period, c.currency, c.archived, s.slot
    ON CONFLICT (account_id, date_grain, due_grain, date_period, due_period, currency, archived, slot) DO UPDATE
        SET invoice_count = r.invoice_count + EXCLUDED.invoice_count,
            total = r.total + EXCLUDED.total;
END
$$;

CREATE OR REPLACE FUNCTION invoices_bump_account_versions()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    -- Accounts in key order, as the rollups take theirs.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO invoice_account_versions AS v (account_id, slot, version)
        SELECT c.account_id, invoice_write_slot(c.account_id), nextval('invoice_account_version_numbers')
        FROM (SELECT DISTINCT account_id FROM new_rows ORDER BY account_id) AS c
        ON CONFLICT (account_id, slot) DO UPDATE SET version = EXCLUDED.version;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO invoice_account_versions AS v (account_id, slot, version)
        SELECT c.account_id, invoice_write_slot(c.account_id), nextval('invoice_account_version_numbers')
        FROM (SELECT account_id FROM new_rows UNION SELECT account_id FROM old_rows ORDER BY account_id) AS c
        ON CONFLICT (account_id, slot) DO UPDATE SET version = EXCLUDED.version;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO invoice_account_versions AS v (account_id, slot, version)
        SELECT c.account_id, invoice_write_slot(c.account_id), nextval('invoice_account_version_numbers')
        FROM (SELECT DISTINCT account_id FROM old_rows ORDER BY account_id) AS c
        ON CONFLICT (account_id, slot) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END
$$;
