-- Moving one account's books into another (docs/accounts.md, "Moving books into a business account"): a user who kept
-- invoices in a personal account before the business account existed brings them along, history included.
--
-- An operator runs it once per move, as the schema owner (the migrator's login):
--   SELECT invoice_move_account('<the user''s sub>', '<the business account>');
-- It answers how many invoices moved. The rollups and the change numbers follow through the triggers on invoices, so
-- Stats' figures of both accounts are exact as soon as it commits; each moved invoice gets a history entry (operation
-- sql, by the database login) showing its account_id change, and its earlier entries move with it. Idempotency keys
-- move too, except one the member already used in the target account (that one is dropped: a retry of the old request
-- would then run again rather than replay). The statements take each table's lock until commit, so API requests wait
-- for the move (seconds for a few thousand invoices): run it when the books are quiet.

-- The history shows an account change, which only this move makes (account_id was left out of the diffs before).
CREATE OR REPLACE FUNCTION invoice_history_fields(invoice jsonb)
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

-- A new invoice's entry lists its fields, not the account it was recorded in (every entry is read within that account).
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

-- SECURITY DEFINER: it runs as the owner even when called by a member of the owner's role (an IAM migrator), and row-
-- level security, which holds the owner too (FORCE), is lifted for this transaction's statements only: a move writes
-- two accounts' rows at once, which no single account's policy allows.
CREATE FUNCTION invoice_move_account(from_account text, to_account text)
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
    ALTER TABLE invoice_account_versions FORCE ROW LEVEL SECURITY;
    RETURN moved;
END
$$;

REVOKE ALL ON FUNCTION invoice_move_account(text, text) FROM PUBLIC;
