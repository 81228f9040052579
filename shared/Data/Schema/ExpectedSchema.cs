namespace InvoiceApi.Data.Schema;

/// <summary>
/// What the code expects to find in the database, declared by hand next to the code that uses it.
/// It is checked against the live catalogs, never against the migrations table, which can claim what is not there.
/// </summary>
public static class ExpectedSchema
{
    private const string Text = "text";
    private const string Timestamp = "timestamp with time zone";

    /// <summary>Migration 0009: every scoped read starts with a CALL of it (ReadOnlyQuery.Scope).</summary>
    public static IReadOnlyList<string> Procedures { get; } = ["invoice_api_read_scope"];

    /// <summary>Every table the functions and the migrator rely on.</summary>
    public static IReadOnlyList<ExpectedTable> Tables { get; } =
    [
        new("invoices",
            [
                new("id", "uuid", Nullable: false),
                new("account_id", Text, Nullable: false),
                new("number", Text, Nullable: true),
                new("date", "date", Nullable: false),
                new("due_date", "date", Nullable: true),
                new("provider", Text, Nullable: false),
                new("nit", Text, Nullable: true),
                new("amount", "numeric(15,2)", Nullable: false),
                new("currency", Text, Nullable: false),
                new("payment_method", Text, Nullable: true),
                new("category", Text, Nullable: false),
                new("description", Text, Nullable: true),
                new("status", Text, Nullable: false),
                new("paid_at", "date", Nullable: true),
                new("file_path", Text, Nullable: true),
                new("ocr_data", "jsonb", Nullable: true),
                new("ocr_confidence", "double precision", Nullable: true),
                new("created_at", Timestamp, Nullable: false),
                new("updated_at", Timestamp, Nullable: false),
                new("version", "integer", Nullable: false),
                new("archived_at", Timestamp, Nullable: true),
                new("created_by", Text, Nullable: false),
                new("created_by_email", Text, Nullable: true),
                new("updated_by", Text, Nullable: false),
                new("updated_by_email", Text, Nullable: true),
                // Migration 0011: taxes, credit and debit notes, and DIAN documents.
                new("kind", Text, Nullable: false),
                new("subtotal", "numeric(15,2)", Nullable: true),
                new("discounts", "numeric(15,2)", Nullable: true),
                new("charges", "numeric(15,2)", Nullable: true),
                new("prepaid", "numeric(15,2)", Nullable: true),
                new("rounding", "numeric(15,2)", Nullable: true),
                new("taxes", "jsonb", Nullable: false),
                new("withholdings", "jsonb", Nullable: false),
                new("withheld", "numeric(15,2)", Nullable: false),
                new("cufe", Text, Nullable: true),
                new("refers_to_cufe", Text, Nullable: true),
                new("refers_to", "uuid", Nullable: true),
                new("document_sha256", Text, Nullable: true),
            ],
            [
                "invoices_pkey",
                "invoices_account_date_idx",
                "invoices_account_created_idx",
                "invoices_account_amount_idx",
                "invoices_account_provider_idx",
                "invoices_account_nit_idx",
                "invoices_account_pending_due_idx",
                "invoices_account_overdue_idx",
                "invoices_account_created_by_idx",
                "invoices_account_cufe_key",
                "invoices_account_refers_to_cufe_idx",
                "invoices_account_taxed_idx",
            ])
        {
            ForcedRowLevelSecurity = true,
            // The read-all policy must stay SELECT-only: for any other command it would open other accounts' rows to writes.
            // The writers' policies keep a viewer's transaction from writing, whatever the function checked (0007).
            Policies =
            [
                new("invoices_account_rows", "ALL"), new("invoices_read_all_accounts", "SELECT"),
                new("invoices_writers_insert", "INSERT"), new("invoices_writers_update", "UPDATE"),
            ],
            // Migrations 0004-0007 and 0012: without one of these, the dashboard's or the tax rollups drift from the invoices,
            // Stats' figures cache never learns of a write, or a change goes unrecorded in the history, silently.
            Triggers =
            [
                .. new[] { "invoices_rollups", "invoices_dashboard_rollups", "invoices_account_versions", "invoices_tax_rollups" }
                    .SelectMany(prefix => new[] { "insert", "update", "delete", "truncate" }.Select(operation => $"{prefix}_{operation}")),
                "invoices_history_insert", "invoices_history_update",
            ],
        },
        new("idempotency_keys",
            [
                new("account_id", Text, Nullable: false),
                new("key", Text, Nullable: false),
                new("request_hash", Text, Nullable: false),
                new("response_status", "integer", Nullable: false),
                new("response_location", Text, Nullable: true),
                new("response_etag", Text, Nullable: true),
                new("response_body", "bytea", Nullable: false),
                new("created_at", Timestamp, Nullable: false),
                new("member_id", Text, Nullable: false),
            ],
            ["idempotency_keys_pkey"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("idempotency_keys_account_rows", "ALL")],
        },
        // Migration 0004: the dashboard's per-account sums, kept exact by triggers on invoices.
        new("invoice_rollups",
            [
                new("account_id", Text, Nullable: false),
                new("dimension", Text, Nullable: false),
                new("grain", Text, Nullable: false),
                new("period", "date", Nullable: false),
                new("currency", Text, Nullable: false),
                new("status", Text, Nullable: false),
                new("archived", "boolean", Nullable: false),
                new("value", Text, Nullable: false),
                new("nit", Text, Nullable: false),
                new("label", Text, Nullable: true),
                new("invoice_count", "bigint", Nullable: false),
                new("total", "numeric", Nullable: false),
                // Migration 0010: concurrent writers of one account write different rows; figures sum over slots.
                new("slot", "smallint", Nullable: false),
            ],
            ["invoice_rollups_pkey", "invoice_rollups_provider_idx"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("invoice_rollups_account_rows", "ALL"), new("invoice_rollups_read_all_accounts", "SELECT")],
        },
        // Migration 0005: the default view's sums (no void, no archived) and the overdue sums, kept exact by triggers on invoices.
        new("invoice_live_rollups",
            [
                new("account_id", Text, Nullable: false),
                new("dimension", Text, Nullable: false),
                new("grain", Text, Nullable: false),
                new("period", "date", Nullable: false),
                new("currency", Text, Nullable: false),
                new("value", Text, Nullable: false),
                new("label", Text, Nullable: true),
                new("invoice_count", "bigint", Nullable: false),
                new("total", "numeric", Nullable: false),
                // Migration 0010: concurrent writers of one account write different rows; figures sum over slots.
                new("slot", "smallint", Nullable: false),
            ],
            ["invoice_live_rollups_pkey", "invoice_live_rollups_provider_day_idx"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("invoice_live_rollups_account_rows", "ALL"), new("invoice_live_rollups_read_all_accounts", "SELECT")],
        },
        new("invoice_overdue_rollups",
            [
                new("account_id", Text, Nullable: false),
                new("date_grain", Text, Nullable: false),
                new("due_grain", Text, Nullable: false),
                new("date_period", "date", Nullable: false),
                new("due_period", "date", Nullable: false),
                new("currency", Text, Nullable: false),
                new("archived", "boolean", Nullable: false),
                new("invoice_count", "bigint", Nullable: false),
                new("total", "numeric", Nullable: false),
                // Migration 0010: concurrent writers of one account write different rows; figures sum over slots.
                new("slot", "smallint", Nullable: false),
            ],
            ["invoice_overdue_rollups_pkey", "invoice_overdue_rollups_due_day_idx"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("invoice_overdue_rollups_account_rows", "ALL"), new("invoice_overdue_rollups_read_all_accounts", "SELECT")],
        },
        // Migration 0006: each account's change number, new with every write to its invoices (Stats' figures cache).
        new("invoice_account_versions",
            [
                new("account_id", Text, Nullable: false),
                new("version", "bigint", Nullable: false),
                // Migration 0010: concurrent writers of one account write different rows; figures sum over slots.
                new("slot", "smallint", Nullable: false),
            ],
            ["invoice_account_versions_pkey"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("invoice_account_versions_account_rows", "ALL"), new("invoice_account_versions_read_all_accounts", "SELECT")],
        },
        // Migration 0007: every change of an invoice, written by a trigger; the functions may only read it.
        new("invoice_history",
            [
                new("account_id", Text, Nullable: false),
                new("invoice_id", "uuid", Nullable: false),
                new("entry", "bigint", Nullable: false),
                new("at", Timestamp, Nullable: false),
                new("operation", Text, Nullable: false),
                new("member_id", Text, Nullable: false),
                new("member_email", Text, Nullable: true),
                new("version", "integer", Nullable: false),
                new("changes", "jsonb", Nullable: false),
            ],
            ["invoice_history_pkey"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("invoice_history_account_rows", "ALL"), new("invoice_history_read_all_accounts", "SELECT")],
        },
        // Migration 0011: the original XML of each invoice that came in as a DIAN document, visible with its invoice.
        new("invoice_documents",
            [
                new("invoice_id", "uuid", Nullable: false),
                new("file_name", Text, Nullable: false),
                new("sha256", Text, Nullable: false),
                new("xml_bytes", "integer", Nullable: false),
                new("xml_gzip", "bytea", Nullable: false),
                new("created_at", Timestamp, Nullable: false),
            ],
            ["invoice_documents_pkey"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("invoice_documents_of_visible_invoices", "ALL"), new("invoice_documents_writers_insert", "INSERT")],
        },
        // Migration 0011: each account's legal name and NIT, written by its owners.
        new("account_settings",
            [
                new("account_id", Text, Nullable: false),
                new("legal_name", Text, Nullable: true),
                new("nit", Text, Nullable: true),
                new("updated_at", Timestamp, Nullable: false),
                new("updated_by", Text, Nullable: false),
                new("updated_by_email", Text, Nullable: true),
            ],
            ["account_settings_pkey"])
        {
            ForcedRowLevelSecurity = true,
            Policies =
            [
                new("account_settings_account_rows", "ALL"), new("account_settings_owners_insert", "INSERT"),
                new("account_settings_owners_update", "UPDATE"),
            ],
        },
        // Migration 0012: the taxes and withholdings per month and day, kept exact by triggers on invoices (Stats' /taxes).
        new("invoice_tax_rollups",
            [
                new("account_id", Text, Nullable: false),
                new("grain", Text, Nullable: false),
                new("period", "date", Nullable: false),
                new("currency", Text, Nullable: false),
                new("kind", Text, Nullable: false),
                new("scheme", Text, Nullable: false),
                new("rate", Text, Nullable: false),
                new("slot", "smallint", Nullable: false),
                new("name", Text, Nullable: true),
                new("invoice_count", "bigint", Nullable: false),
                new("base", "numeric", Nullable: false),
                new("amount", "numeric", Nullable: false),
            ],
            ["invoice_tax_rollups_pkey"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("invoice_tax_rollups_account_rows", "ALL"), new("invoice_tax_rollups_read_all_accounts", "SELECT")],
        },
        new("schema_migrations",
            [
                new("version", "integer", Nullable: false),
                new("name", Text, Nullable: false),
                new("checksum", Text, Nullable: false),
                new("applied_at", Timestamp, Nullable: false),
                new("duration_ms", "integer", Nullable: false),
            ],
            ["schema_migrations_pkey"]),
    ];
}
