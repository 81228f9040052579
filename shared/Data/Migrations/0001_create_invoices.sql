-- The invoices a business received from its suppliers (design/API.md, "The invoice").
-- Each row belongs to one caller (user_id = the token's subject); money is numeric, never floating point.
CREATE TABLE invoices (
    id              uuid PRIMARY KEY,
    user_id         text NOT NULL CHECK (char_length(user_id) BETWEEN 1 AND 128),
    number          text CHECK (char_length(number) <= 64),
    date            date NOT NULL,
    due_date        date,
    provider        text NOT NULL CHECK (char_length(provider) BETWEEN 1 AND 200),
    nit             text CHECK (nit ~ '^[0-9]{6,15}-[0-9]$'),
    amount          numeric(15, 2) NOT NULL CHECK (amount > 0),
    currency        text NOT NULL DEFAULT 'COP' CHECK (currency ~ '^[A-Z]{3}$'),
    payment_method  text CHECK (payment_method IN ('cash', 'card', 'transfer', 'check', 'other')),
    category        text NOT NULL CHECK (char_length(category) BETWEEN 1 AND 60),
    description     text CHECK (char_length(description) <= 2000),
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'void')),
    paid_at         date,
    file_path       text CHECK (file_path ~ '^(gs://[^/]+/.+|https://.+)$'),
    ocr_data        jsonb CHECK (jsonb_typeof(ocr_data) = 'object' AND octet_length(ocr_data::text) <= 65536),
    ocr_confidence  double precision CHECK (ocr_confidence BETWEEN 0 AND 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    archived_at     timestamptz,
    CONSTRAINT invoices_due_not_before_date CHECK (due_date IS NULL OR due_date >= date),
    CONSTRAINT invoices_paid_at_only_when_paid CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);

-- Lists are per caller, keyset-paginated on (sort key, id); a b-tree serves both directions.
CREATE INDEX invoices_user_date_idx ON invoices (user_id, date DESC, id DESC);
CREATE INDEX invoices_user_created_idx ON invoices (user_id, created_at DESC, id DESC);
CREATE INDEX invoices_user_amount_idx ON invoices (user_id, amount DESC, id DESC);
CREATE INDEX invoices_user_provider_idx ON invoices (user_id, lower(provider), id);

-- Supplier lookups by tax id.
CREATE INDEX invoices_user_nit_idx ON invoices (user_id, nit) WHERE nit IS NOT NULL;

-- Pending and overdue figures read only live pending invoices, by due date.
CREATE INDEX invoices_user_pending_due_idx ON invoices (user_id, due_date)
    WHERE status = 'pending' AND archived_at IS NULL;
