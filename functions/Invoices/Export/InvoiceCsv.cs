using System.Globalization;
using System.Text;
using Invoices.Model;
using InvoiceApi.Functions.Hosting.Json;

namespace Invoices.Export;

/// <summary>
/// Invoices as RFC 4180 CSV lines (CRLF, fields quoted when they hold a comma, quote or line break), with the API's
/// field names as the header. A cell that starts with <c>= + - @</c>, a tab or a carriage return gets a leading
/// apostrophe, so a spreadsheet shows it as text instead of running it as a formula (CSV injection).
/// </summary>
internal static class InvoiceCsv
{
    /// <summary>The columns, in the order of the JSON fields; an import reads the same names.</summary>
    internal static readonly string[] Header =
    [
        "id", "number", "date", "due_date", "provider", "nit", "amount", "currency", "payment_method", "category", "description",
        "status", "paid_at", "file_path", "ocr_data", "ocr_confidence", "created_at", "updated_at", "version", "archived_at",
    ];

    internal static void AppendHeader(StringBuilder line) => AppendLine(line, Header);

    internal static void AppendRow(StringBuilder line, InvoiceRow invoice) => AppendLine(line,
    [
        invoice.Id.ToString("D"),
        invoice.Number,
        ApiJson.Date(invoice.Date),
        invoice.DueDate is { } due ? ApiJson.Date(due) : null,
        invoice.Provider,
        invoice.Nit,
        invoice.Amount.ToString("0.00", CultureInfo.InvariantCulture),
        invoice.Currency,
        invoice.PaymentMethod,
        invoice.Category,
        invoice.Description,
        invoice.Status,
        invoice.PaidAt is { } paid ? ApiJson.Date(paid) : null,
        invoice.FilePath,
        invoice.OcrData,
        invoice.OcrConfidence?.ToString("R", CultureInfo.InvariantCulture),
        InvoiceJson.FormatTimestamp(invoice.CreatedAt),
        InvoiceJson.FormatTimestamp(invoice.UpdatedAt),
        invoice.Version.ToString(CultureInfo.InvariantCulture),
        invoice.ArchivedAt is { } archived ? InvoiceJson.FormatTimestamp(archived) : null,
    ]);

    private static void AppendLine(StringBuilder line, string?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }
            AppendCell(line, cells[i]);
        }
        line.Append("\r\n");
    }

    // A null is an empty cell; an import reads an empty cell back as null.
    private static void AppendCell(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        var guarded = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        if (guarded.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(guarded);
            return;
        }
        line.Append('"').Append(guarded.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
