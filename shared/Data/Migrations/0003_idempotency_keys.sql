-- Idempotency-Key for POST (design/API.md, "Idempotency"): per caller, kept at least 24 hours. The first request's
-- response is stored in the same transaction that created the invoice, so a retry sees either nothing (the first is
-- still running: it waits on the primary key, then replays) or the complete response, never a half-done one.
CREATE TABLE idempotency_keys (
    user_id            text NOT NULL CHECK (char_length(user_id) BETWEEN 1 AND 128),
    key                text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    -- SHA-256 (hex) of method, path and body: the same key with another request is refused, not replayed.
    request_hash       text NOT NULL,
    response_status    integer NOT NULL,
    response_location  text,
    response_etag      text,
    response_body      bytea NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

-- Exactly what the functions need: look a key up, record it, and take over an expired one (an UPDATE). No DELETE:
-- expired rows are reused in place; an operator may purge rows older than 24 hours as the owner.
GRANT SELECT, INSERT, UPDATE ON idempotency_keys TO invoice_api_runtime;

-- The same wall as invoices: a caller never reads, claims or overwrites another caller's key.
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;

CREATE POLICY idempotency_keys_caller_rows ON idempotency_keys
    USING (user_id = NULLIF(current_setting('app.user_id', true), ''))
    WITH CHECK (user_id = NULLIF(current_setting('app.user_id', true), ''));
