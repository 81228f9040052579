-- A read's whole scope in one statement that returns nothing, so it travels in front of the query itself:
--   CALL invoice_api_read_scope($account, $read_all); SELECT ... FROM invoices WHERE ...
-- Sent as one command without BEGIN, both statements run in one implicit transaction that PostgreSQL ends by itself at
-- the end of the message batch: a read costs one round trip, and its connection can never come back "in transaction".
-- (Before this, a read took four: BEGIN and SET TRANSACTION READ ONLY, the scope's set_config, the query, COMMIT.)
--
-- Every setting is transaction-local (set_config(..., true)), exactly as before:
--   transaction_read_only  first, so nothing after it can write, and the read-all policies (0007) see a read;
--   app.account_id         whose rows the row-level security policies let through;
--   app.read_all_accounts  an admin's explicit read across accounts, or off;
--   statement_timeout      only when given (an export streams for minutes); else the login's limit stands.
-- A procedure, not a function: CALL returns no result set, so the query's rows are the command's first (and only) ones.
-- PL/pgSQL, not SQL: a SQL-language procedure is parsed and planned again on every CALL (measured: 0.09 ms of server
-- time per read, as much as the point read's SELECT); PL/pgSQL keeps its plans for the session, and costs about as
-- much as a SELECT 1.
CREATE PROCEDURE invoice_api_read_scope(account_id text, read_all_accounts boolean, statement_timeout_ms integer DEFAULT NULL)
LANGUAGE plpgsql
-- No SET clause (not even search_path): PostgreSQL would undo the procedure's local settings when it returns.
-- set_config and coalesce live in pg_catalog, which is searched first unless a search_path names it later.
AS $$
BEGIN
    PERFORM set_config('transaction_read_only', 'on', true);
    PERFORM set_config('app.account_id', coalesce(account_id, ''), true);
    PERFORM set_config('app.read_all_accounts', CASE WHEN read_all_accounts THEN 'on' ELSE 'off' END, true);
    IF statement_timeout_ms IS NOT NULL THEN
        PERFORM set_config('statement_timeout', statement_timeout_ms::text, true);
    END IF;
END
$$;

-- PostgreSQL grants EXECUTE to PUBLIC by default; only the functions' role needs it.
REVOKE ALL ON PROCEDURE invoice_api_read_scope(text, boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE invoice_api_read_scope(text, boolean, integer) TO invoice_api_runtime;
