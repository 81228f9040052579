using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using InvoiceApi.Functions.Api.Json;

namespace Invoices;

/// <summary>
/// Invoices as RFC 4180 CSV lines (CRLF, fields quoted when they hold a comma, quote or line break), with the API's
/// field names as the header. A cell that starts with <c>= + - @</c>, a tab or a carriage return gets a leading
/// apostrophe, so a spreadsheet shows it as text instead of running it as a formula (CSV injection).
/// </summary>
/// <remarks>
/// Written as UTF-8 straight into the response's pipe, each value formatted in place: no line string, no cell strings
/// for numbers, dates and ids (an export is 200,000 rows; building each line as text cost about as much CPU as the
/// database spent sending it). Dates, timestamps and amounts are the JSON's (<c>ApiJson.DateFormat</c>, <c>InvoiceFormats</c>).
/// </remarks>
internal static class InvoiceCsv
{
    /// <summary>
    /// The columns, in the order of the JSON fields; an import reads the same names. The taxes and withholdings follow,
    /// one column pair per scheme and rate that occurs in the export (<see cref="TaxColumn"/>).
    /// </summary>
    internal static readonly string[] Header =
    [
        "id", "number", "date", "due_date", "provider", "nit", "amount", "currency", "payment_method", "category", "description",
        "status", "paid_at", "file_path", "ocr_data", "ocr_confidence", "kind", "subtotal", "discounts", "charges", "prepaid",
        "rounding", "payable", "cufe", "refers_to", "refers_to_cufe", "document_sha256", "created_at", "updated_at", "version",
        "archived_at", "created_by", "created_by_email", "updated_by", "updated_by_email",
    ];

    private const string DateFormat = ApiJson.DateFormat;

    // Room for any value formatted in place: a 36-byte id, a 27-byte timestamp, a decimal or a double with its sign.
    private const int FormattedValueBytes = 40;

    /// <summary>Writes the header line; returns the bytes written.</summary>
    internal static int WriteHeader(PipeWriter body, IReadOnlyList<TaxColumn> taxColumns)
    {
        var names = Header.Concat(taxColumns.Select(column => column.Name)).ToList();
        var line = new LineWriter(body, names.Sum(MaxTextBytes) + names.Count + 2);
        foreach (var name in names)
        {
            line.Text(name);
        }
        return line.End();
    }

    /// <summary>Writes one invoice's line; returns the bytes written.</summary>
    internal static int WriteRow(PipeWriter body, InvoiceRow invoice, IReadOnlyList<TaxColumn> taxColumns)
    {
        var line = new LineWriter(body, MaxRowBytes(invoice) + taxColumns.Count * (FormattedValueBytes + 1));
        line.Value(invoice.Id, "D");
        line.Text(invoice.Number);
        line.Value(invoice.Date, DateFormat);
        line.Optional(invoice.DueDate, DateFormat);
        line.Text(invoice.Provider);
        line.Text(invoice.Nit);
        line.Value(invoice.Amount, InvoiceFormats.AmountFormat(invoice.Amount));
        line.Text(invoice.Currency);
        line.Text(invoice.PaymentMethod);
        line.Text(invoice.Category);
        line.Text(invoice.Description);
        line.Text(invoice.Status);
        line.Optional(invoice.PaidAt, DateFormat);
        line.Text(invoice.FilePath);
        line.Text(invoice.OcrData);
        line.Optional(invoice.OcrConfidence, "R");
        line.Text(invoice.Kind);
        line.Optional(invoice.Subtotal, null);
        line.Optional(invoice.Discounts, null);
        line.Optional(invoice.Charges, null);
        line.Optional(invoice.Prepaid, null);
        line.Optional(invoice.Rounding, null);
        line.Value(invoice.Payable, InvoiceFormats.AmountFormat(invoice.Payable));
        line.Text(invoice.Cufe);
        line.Optional(invoice.RefersTo, "D");
        line.Text(invoice.RefersToCufe);
        line.Text(invoice.DocumentSha256);
        line.Timestamp(invoice.CreatedAt);
        line.Timestamp(invoice.UpdatedAt);
        line.Value(invoice.Version, null);
        line.Timestamp(invoice.ArchivedAt);
        line.Text(invoice.CreatedBy);
        line.Text(invoice.CreatedByEmail);
        line.Text(invoice.UpdatedBy);
        line.Text(invoice.UpdatedByEmail);
        if (taxColumns.Count > 0)
        {
            WriteTaxes(ref line, invoice, taxColumns);
        }
        return line.End();
    }

    // Most invoices have no taxes: their cells are empty without parsing anything. A cell is the sum of the row's entries
    // of its list, scheme and rate (one entry, but a list may repeat a scheme and rate), empty when none matched.
    private static void WriteTaxes(ref LineWriter line, InvoiceRow invoice, IReadOnlyList<TaxColumn> taxColumns)
    {
        var cells = new decimal?[taxColumns.Count];
        AddToCells(cells, taxColumns, TaxColumn.Tax, invoice.Taxes);
        AddToCells(cells, taxColumns, TaxColumn.Withholding, invoice.Withholdings);
        foreach (var cell in cells)
        {
            line.Optional(cell, "0.00");
        }
    }

    private static void AddToCells(decimal?[] cells, IReadOnlyList<TaxColumn> taxColumns, string list, string storedJson)
    {
        if (storedJson == InvoiceValues.NoTaxes)
        {
            return;
        }
        foreach (var tax in InvoiceTax.FromJson(storedJson))
        {
            for (var i = 0; i < taxColumns.Count; i++)
            {
                var column = taxColumns[i];
                if (column.List == list && column.Scheme == tax.Scheme && column.Rate == tax.Rate)
                {
                    cells[i] = (cells[i] ?? 0) + ((column.Part == TaxColumn.Base ? tax.Base : tax.Amount) ?? 0);
                }
            }
        }
    }

    private static int MaxRowBytes(InvoiceRow invoice) =>
        Header.Length * (FormattedValueBytes + 1) + 2
        + MaxTextBytes(invoice.Number) + MaxTextBytes(invoice.Provider) + MaxTextBytes(invoice.Nit) + MaxTextBytes(invoice.Currency)
        + MaxTextBytes(invoice.PaymentMethod) + MaxTextBytes(invoice.Category) + MaxTextBytes(invoice.Description)
        + MaxTextBytes(invoice.Status) + MaxTextBytes(invoice.FilePath) + MaxTextBytes(invoice.OcrData)
        + MaxTextBytes(invoice.CreatedBy) + MaxTextBytes(invoice.CreatedByEmail) + MaxTextBytes(invoice.UpdatedBy) + MaxTextBytes(invoice.UpdatedByEmail);

    // Every character could be a doubled quote or take three bytes; plus the quotes and the apostrophe.
    private static int MaxTextBytes(string? value) => value is null ? 0 : Encoding.UTF8.GetMaxByteCount(value.Length) * 2 + 3;

    /// <summary>One line being written into the pipe's buffer: cells separated by commas, then CRLF and Advance.</summary>
    private ref struct LineWriter(PipeWriter body, int maxBytes)
    {
        private readonly PipeWriter _body = body;
        private readonly Span<byte> _buffer = body.GetSpan(maxBytes);
        private int _length;
        private bool _started;

        // A null is an empty cell; an import reads an empty cell back as null.
        internal void Text(string? value)
        {
            Separate();
            if (string.IsNullOrEmpty(value))
            {
                return;
            }
            var quoted = value.AsSpan().IndexOfAny(",\"\r\n") >= 0;
            if (quoted)
            {
                Byte((byte)'"');
            }
            if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            {
                Byte((byte)'\'');
            }
            if (!quoted)
            {
                Utf8(value);
                return;
            }
            // Quotes doubled; pieces split at a quote never split a surrogate pair.
            var rest = value.AsSpan();
            for (var quote = rest.IndexOf('"'); quote >= 0; quote = rest.IndexOf('"'))
            {
                Utf8(rest[..quote]);
                Byte((byte)'"');
                Byte((byte)'"');
                rest = rest[(quote + 1)..];
            }
            Utf8(rest);
            Byte((byte)'"');
        }

        // Numbers, ids, dates and timestamps: never quoted. A credit note's negative amount starts with '-', which a
        // spreadsheet reads as the number it is, not as a formula.
        internal void Value<T>(T value, string? format)
            where T : struct, IUtf8SpanFormattable
        {
            Separate();
            value.TryFormat(_buffer[_length..], out var written, format, CultureInfo.InvariantCulture);
            _length += written;
        }

        internal void Optional<T>(T? value, string? format)
            where T : struct, IUtf8SpanFormattable
        {
            if (value is { } present)
            {
                Value(present, format);
            }
            else
            {
                Separate();
            }
        }

        internal void Timestamp(DateTime? value)
        {
            Separate();
            if (value is { } present)
            {
                _length += InvoiceFormats.Timestamp(present, _buffer[_length..]);
            }
        }

        internal int End()
        {
            Byte((byte)'\r');
            Byte((byte)'\n');
            _body.Advance(_length);
            return _length;
        }

        private void Separate()
        {
            if (_started)
            {
                Byte((byte)',');
            }
            _started = true;
        }

        private void Byte(byte value) => _buffer[_length++] = value;

        private void Utf8(ReadOnlySpan<char> text) => _length += Encoding.UTF8.GetBytes(text, _buffer[_length..]);
    }
}
