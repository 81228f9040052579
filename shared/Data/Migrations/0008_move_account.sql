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
