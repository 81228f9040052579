namespace InvoiceApi.Data.Schema;

/// <summary>
/// What the code expects to find in the database, declared by hand next to the code that uses it.
/// It is checked against the live catalogs, never against the migrations table, which can claim what is not there.
/// </summary>
public static class ExpectedSchema
{
    private const string Text = "text";
    private const string Timestamp = "timestamp with time zone";

    /// <summary>Every table the functions and the migrator rely on.</summary>
    public static IReadOnlyList<ExpectedTable> Tables { get; } =
    [
        new("invoices",
            [
                new("id", "uuid", Nullable: false),
                new("user_id", Text, Nullable: false),
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
            ],
            [
                "invoices_pkey",
                "invoices_user_date_idx",
                "invoices_user_created_idx",
                "invoices_user_amount_idx",
                "invoices_user_provider_idx",
                "invoices_user_nit_idx",
                "invoices_user_pending_due_idx",
                "invoices_user_overdue_idx",
            ])
        {
            ForcedRowLevelSecurity = true,
            // The read-all policy must stay SELECT-only: for any other command it would open other callers' rows to writes.
            Policies = [new("invoices_caller_rows", "ALL"), new("invoices_read_all_callers", "SELECT")],
            // Migrations 0004-0006: without one of these, the dashboard's rollups drift from the invoices and Stats'
            // figures cache never learns of a write, silently. Each on INSERT, UPDATE, DELETE and TRUNCATE.
            Triggers = [.. new[] { "invoices_rollups", "invoices_dashboard_rollups", "invoices_caller_versions" }
                .SelectMany(prefix => new[] { "insert", "update", "delete", "truncate" }.Select(operation => $"{prefix}_{operation}"))],
        },
        new("idempotency_keys",
            [
                new("user_id", Text, Nullable: false),
                new("key", Text, Nullable: false),
                new("request_hash", Text, Nullable: false),
                new("response_status", "integer", Nullable: false),
                new("response_location", Text, Nullable: true),
                new("response_etag", Text, Nullable: true),
                new("response_body", "bytea", Nullable: false),
                new("created_at", Timestamp, Nullable: false),
            ],
            ["idempotency_keys_pkey"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("idempotency_keys_caller_rows", "ALL")],
        },
        // Migration 0004: the dashboard's per-caller sums, kept exact by triggers on invoices.
        new("invoice_rollups",
            [
                new("user_id", Text, Nullable: false),
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
            ],
            ["invoice_rollups_pkey", "invoice_rollups_provider_idx"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("invoice_rollups_caller_rows", "ALL"), new("invoice_rollups_read_all_callers", "SELECT")],
        },
        // Migration 0005: the default view's sums (no void, no archived) and the overdue sums, kept exact by triggers on invoices.
        new("invoice_live_rollups",
            [
                new("user_id", Text, Nullable: false),
                new("dimension", Text, Nullable: false),
                new("grain", Text, Nullable: false),
                new("period", "date", Nullable: false),
                new("currency", Text, Nullable: false),
                new("value", Text, Nullable: false),
                new("label", Text, Nullable: true),
                new("invoice_count", "bigint", Nullable: false),
                new("total", "numeric", Nullable: false),
            ],
            ["invoice_live_rollups_pkey", "invoice_live_rollups_provider_day_idx"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("invoice_live_rollups_caller_rows", "ALL"), new("invoice_live_rollups_read_all_callers", "SELECT")],
        },
        new("invoice_overdue_rollups",
            [
                new("user_id", Text, Nullable: false),
                new("date_grain", Text, Nullable: false),
                new("due_grain", Text, Nullable: false),
                new("date_period", "date", Nullable: false),
                new("due_period", "date", Nullable: false),
                new("currency", Text, Nullable: false),
                new("archived", "boolean", Nullable: false),
                new("invoice_count", "bigint", Nullable: false),
                new("total", "numeric", Nullable: false),
            ],
            ["invoice_overdue_rollups_pkey", "invoice_overdue_rollups_due_day_idx"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("invoice_overdue_rollups_caller_rows", "ALL"), new("invoice_overdue_rollups_read_all_callers", "SELECT")],
        },
        // Migration 0006: each caller's change number, new with every write to the caller's invoices (Stats' figures cache).
        new("invoice_caller_versions",
            [
                new("user_id", Text, Nullable: false),
                new("version", "bigint", Nullable: false),
            ],
            ["invoice_caller_versions_pkey"])
        {
            ForcedRowLevelSecurity = true,
            Policies = [new("invoice_caller_versions_caller_rows", "ALL"), new("invoice_caller_versions_read_all_callers", "SELECT")],
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
