using System.Text;
using System.Text.Json;
using InvoiceApi.Functions.Api.Problems;
using Invoices.Input;
using Invoices.Model;
using Invoices.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices.Import;

/// <summary>
/// Reads an import body (a JSON array of invoices, or CSV with a header row) and checks every row with the same reader
/// rules and validator as a single create. Any bad row makes the whole import a 422 naming rows and fields
/// (<c>rows[12].amount</c>, rows counted from 0), so nothing is written.
/// </summary>
internal static class InvoiceImportReader
{
    internal const int MaxRows = 10_000;
    internal const string Csv = "text/csv";

    // Enough to fix a file in a few rounds without a 10,000-row problem document.
    private const int MaxReportedRows = 100;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The valid drafts and the body's bytes (for the Idempotency-Key hash), or the problem to answer.</summary>
    internal static async Task<(IReadOnlyList<InvoiceDraft> Drafts, byte[] Bytes, Problem? Problem)> ReadAsync(HttpRequest request,
        InvoiceDraftValidator validator, CancellationToken cancellationToken)
    {
        var (rows, bytes, problem) = JsonBody.IsAccepted(request.ContentType, [JsonBody.Json]) ? await ReadJsonAsync(request, cancellationToken)
            : JsonBody.IsAccepted(request.ContentType, [Csv]) ? await ReadCsvAsync(request, cancellationToken)
            : ([], [], InvoiceProblems.UnsupportedContentType(request.ContentType, $"{JsonBody.Json} (an array of invoices) or {Csv} (a header row and one invoice per line)"));
        if (problem is not null)
        {
            return ([], bytes, problem);
        }
        if (rows.Count == 0)
        {
            return ([], bytes, InvoiceProblems.Validation(new Dictionary<string, IReadOnlyList<string>> { ["rows"] = ["Must hold at least one invoice."] }, "There is nothing to import."));
        }
        if (rows.Count > MaxRows)
        {
            return ([], bytes, ImportProblems.TooManyRows(rows.Count));
        }
        var (drafts, invalid) = Validate(rows, validator);
        return (drafts, bytes, invalid);
    }

    private static (IReadOnlyList<InvoiceDraft> Drafts, Problem? Problem) Validate(IReadOnlyList<Func<InvoiceDraftReadResult>> rows, InvoiceDraftValidator validator)
    {
        var drafts = new List<InvoiceDraft>(rows.Count);
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var failed = 0;
        for (var index = 0; index < rows.Count; index++)
        {
            var read = rows[index]();
            var rowErrors = read.Draft is { } draft ? validator.Check(draft) : read.Errors;
            if (rowErrors.Count == 0)
            {
                drafts.Add(read.Draft!);
                continue;
            }
            if (++failed <= MaxReportedRows)
            {
                foreach (var (field, messages) in rowErrors)
                {
                    errors[field == InvoiceFields.Body ? $"rows[{index}]" : $"rows[{index}].{field}"] = messages;
                }
            }
        }
        if (failed == 0)
        {
            return (drafts, null);
        }
        var listed = failed > MaxReportedRows ? $" The first {MaxReportedRows} are listed." : "";
        return ([], InvoiceProblems.Validation(errors,
            $"{failed} of {rows.Count} rows are invalid, so nothing was imported; rows are counted from 0 (the first invoice, or the first line after the CSV header).{listed}"));
    }

    private static async Task<(IReadOnlyList<Func<InvoiceDraftReadResult>> Rows, byte[] Bytes, Problem? Problem)> ReadJsonAsync(HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, [JsonBody.Json], cancellationToken);
        if (body.Problem is not null)
        {
            return ([], body.Bytes, body.Problem);
        }
        // The document lives as long as the request: the rows are read from it lazily, one at a time.
        request.HttpContext.Response.RegisterForDispose(body.Document!);
        var root = body.Document!.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
        {
            return ([], body.Bytes, InvoiceProblems.MalformedBody("The body must be a JSON array of invoice objects."));
        }
        return (root.EnumerateArray().Select(element => (Func<InvoiceDraftReadResult>)(() => InvoiceDraftReader.Read(element))).ToList(), body.Bytes, null);
    }

    private static async Task<(IReadOnlyList<Func<InvoiceDraftReadResult>> Rows, byte[] Bytes, Problem? Problem)> ReadCsvAsync(HttpRequest request,
        CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return ([], bytes, InvoiceProblems.MalformedBody("The CSV is not valid UTF-8."));
        }
        var (records, error) = CsvTable.Parse(text);
        if (error is not null)
        {
            return ([], bytes, InvoiceProblems.MalformedBody($"The body is not well-formed CSV. {error}"));
        }
        if (records.Count == 0)
        {
            return ([], bytes, InvoiceProblems.MalformedBody("The CSV has no header row; its first line names the columns (the API's field names)."));
        }
        var (csv, headerErrors) = CsvInvoiceReader.ForHeader(records[0]);
        if (csv is null)
        {
            return ([], bytes, InvoiceProblems.MalformedBody("The CSV header names columns the import does not take.", headerErrors));
        }
        return (records.Skip(1).Select(cells => (Func<InvoiceDraftReadResult>)(() => csv.Read(cells))).ToList(), bytes, null);
    }
}
