namespace Invoices.Model;

/// <summary>The select list that fills an <see cref="InvoiceRow"/>, shared by every query that returns invoices.</summary>
internal static class InvoiceColumns
{
    internal const string All = """
        id, user_id, number, date, due_date, provider, nit, amount, currency, payment_method, category, description,
        status, paid_at, file_path, ocr_data::text AS ocr_data, ocr_confidence, created_at, updated_at, version, archived_at
        """;
}
