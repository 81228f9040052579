-- Taxes on every invoice, credit and debit notes, and the suppliers' DIAN electronic documents (docs/documents.md).
--
-- 1. Taxes. subtotal is the amount before taxes; taxes and withholdings are lists of {scheme, name, rate, base, amount}
-- with the money as decimal strings, as the API writes them. The parts add up to the whole, to the cent:
--   amount = subtotal + sum(taxes.amount) - discounts + charges - prepaid + rounding   (when subtotal is given)
--   payable = amount - withheld, withheld = sum(withholdings.amount)
-- The API checks that rule (InvoiceDraftValidator, the one place it lives); the table keeps what every figure relies on:
-- a credit note's money is negative, so it subtracts in every sum without any reader knowing about kinds. The
-- defaults cost nothing on a large table (PostgreSQL 11+ stores a constant default without rewriting the rows), and
-- every existing invoice reads as an invoice without taxes, as it was.
ALTER TABLE invoices
    ADD COLUMN kind text NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note', 'debit_note')),
    ADD COLUMN subtotal numeric(15, 2),
    ADD COLUMN discounts numeric(15, 2),
    ADD COLUMN charges numeric(15, 2),
    ADD COLUMN prepaid numeric(15, 2),
    ADD COLUMN rounding numeric(15, 2),
    ADD COLUMN taxes jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(taxes) = 'array'),
    ADD COLUMN withholdings jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(withholdings) = 'array'),
    ADD COLUMN withheld numeric(15, 2) NOT NULL DEFAULT 0,
    -- 2. The DIAN document's unique code: the CUFE of an invoice, the CUDE of a note (96 hexadecimal characters).
    ADD COLUMN cufe text CHECK (cufe ~ '^[0-9a-f]{96}$'),
    -- A note's invoice: its CUFE as the note names it, and the invoice's id once that invoice is in the account.
    ADD COLUMN refers_to_cufe text CHECK (refers_to_cufe ~ '^[0-9a-f]{96}$'),
    ADD COLUMN refers_to uuid,
    -- The SHA-256 of the original XML kept in invoice_documents, for an invoice that came in as a document.
    ADD COLUMN document_sha256 text CHECK (document_sha256 ~ '^[0-9a-f]{64}$');

-- amount > 0 (0001) becomes: never zero, negative exactly for a credit note.
ALTER TABLE invoices DROP CONSTRAINT invoices_amount_check,
    ADD CONSTRAINT invoices_amount_sign CHECK (amount <> 0 AND (amount < 0) = (kind = 'credit_note'));

-- Never twice: the same document sent again finds its invoice instead of making another one.
CREATE UNIQUE INDEX invoices_account_cufe_key ON invoices (account_id, cufe) WHERE cufe IS NOT NULL;
-- The notes waiting for an invoice that has not come in yet, found when it comes.
CREATE INDEX invoices_account_refers_to_cufe_idx ON invoices (account_id, refers_to_cufe)
    WHERE refers_to_cufe IS NOT NULL AND refers_to IS NULL;

-- The invoices that carry taxes or withholdings: an export names its tax columns from these alone before it writes its
-- header, so books without taxes (most, and every one before this migration) pay nothing for it.
CREATE INDEX invoices_account_taxed_idx ON invoices (account_id, date) WHERE taxes <> '[]' OR withholdings <> '[]';

-- The history writes the new money fields as strings, like amount, and leaves out withheld (it follows from the
-- withholdings, which the history shows). Same body as 0007's otherwise.
CREATE OR REPLACE FUNCTION invoice_history_fields(invoice jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT (invoice - ARRAY['id', 'created_at', 'updated_at', 'version', 'created_by', 'created_by_email', 'updated_by',
                            'updated_by_email', 'withheld'])
        || jsonb_build_object(
            'amount', invoice ->> 'amount',
            'subtotal', invoice ->> 'subtotal',
            'discounts', invoice ->> 'discounts',
            'charges', invoice ->> 'charges',
            'prepaid', invoice ->> 'prepaid',
            'rounding', invoice ->> 'rounding',
            'archived_at', to_char((invoice ->> 'archived_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
$$;

-- The history names a new operation: document (POST /documents records an invoice, or links a note that came in
-- before its invoice).
ALTER TABLE invoice_history DROP CONSTRAINT invoice_history_operation_check,
    ADD CONSTRAINT invoice_history_operation_check
        CHECK (operation IN ('create', 'replace', 'patch', 'archive', 'restore', 'import', 'document', 'sql'));

-- 3. The legal record: the XML exactly as it came (the AttachedDocument, or the bare document), gzip-compressed,
-- written in the same transaction as its invoice and never changed afterwards (no UPDATE grant). It has no account of
-- its own: a document is visible exactly when its invoice is (the policy reads invoices, whose own policies apply
-- inside it), so it follows its invoice everywhere, a move between accounts (0008) included.
CREATE TABLE invoice_documents (
    invoice_id  uuid PRIMARY KEY REFERENCES invoices (id) ON DELETE CASCADE,
    file_name   text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    xml_bytes   integer NOT NULL CHECK (xml_bytes > 0),
    xml_gzip    bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE invoice_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY invoice_documents_of_visible_invoices ON invoice_documents
    USING (EXISTS (SELECT FROM invoices AS i WHERE i.id = invoice_id))
    WITH CHECK (EXISTS (SELECT FROM invoices AS i WHERE i.id = invoice_id));
CREATE POLICY invoice_documents_writers_insert ON invoice_documents AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT current_setting('app.account_role', true)) IN ('editor', 'owner'));
GRANT SELECT, INSERT ON invoice_documents TO invoice_api_runtime;

-- 4. The account's own settings: its legal name and NIT, which documents' buyers are checked against. Only an owner
-- writes them (the function checks the role first; this policy holds whatever it checked).
CREATE TABLE account_settings (
    account_id        text PRIMARY KEY CHECK (char_length(account_id) BETWEEN 1 AND 128),
    legal_name        text CHECK (char_length(legal_name) BETWEEN 1 AND 200),
    nit               text CHECK (nit ~ '^[0-9]{6,15}-[0-9]$'),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    updated_by        text NOT NULL CHECK (char_length(updated_by) BETWEEN 1 AND 128),
    updated_by_email  text CHECK (char_length(updated_by_email) <= 320)
);

ALTER TABLE account_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY account_settings_account_rows ON account_settings
    USING (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')))
    WITH CHECK (account_id = (SELECT NULLIF(current_setting('app.account_id', true), '')));
CREATE POLICY account_settings_owners_insert ON account_settings AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT current_setting('app.account_role', true)) = 'owner');
CREATE POLICY account_settings_owners_update ON account_settings AS RESTRICTIVE FOR UPDATE
    USING ((SELECT current_setting('app.account_role', true)) = 'owner');
GRANT SELECT, INSERT, UPDATE ON account_settings TO invoice_api_runtime;
