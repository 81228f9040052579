using System.Globalization;
using System.Text;
using System.Text.Json;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>
/// Reads an import body (a JSON array of invoices, or CSV with a header row) and checks every row with the same reader
/// rules and validator as a single create. Any bad row makes the whole import a 422 naming rows and fields
/// (<c>rows[12].amount</c>, rows counted from 0), so nothing is written.
/// </summary>
internal static class InvoiceImportReader
{
    internal const int MaxRows = 10_000;
    internal const string Csv = "text/csv";
    internal const string TooManyRowsType = ProblemTypes.Prefix + "too-many-rows";

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
            return ([], bytes, TooManyRows(rows.Count));
        }
        var (drafts, invalid) = Validate(rows, validator);
        return (drafts, bytes, invalid);
    }

    private static (IReadOnlyList<InvoiceDraft> Drafts, Problem? Problem) Validate(IReadOnlyList<Func<ImportRow>> rows, InvoiceDraftValidator validator)
    {
        var drafts = new List<InvoiceDraft>(rows.Count);
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var failed = 0;
        for (var index = 0; index < rows.Count; index++)
        {
            var (draft, readErrors) = rows[index]();
            // Like a single write, a row's every problem at once: a malformed date does not hide an empty provider.
            var rowErrors = readErrors.ContainsKey(InvoiceFields.Body) ? readErrors : InvoiceInput.Errors(draft, readErrors, validator);
            if (rowErrors.Count == 0)
            {
                drafts.Add(draft);
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

    private static async Task<(IReadOnlyList<Func<ImportRow>> Rows, byte[] Bytes, Problem? Problem)> ReadJsonAsync(HttpRequest request,
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
        return (root.EnumerateArray().Select(element => (Func<ImportRow>)(() =>
        {
            var (draft, errors) = InvoiceDraftReader.ReadPartial(element);
            return new ImportRow(draft, errors);
        })).ToList(), body.Bytes, null);
    }

    private static async Task<(IReadOnlyList<Func<ImportRow>> Rows, byte[] Bytes, Problem? Problem)> ReadCsvAsync(HttpRequest request,
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
        return (records.Skip(1).Select(cells => (Func<ImportRow>)(() => csv.Read(cells))).ToList(), bytes, null);
    }

    /// <summary>413: more rows than one import takes; the client should split the batch.</summary>
    private static Problem TooManyRows(int rows) =>
        new(StatusCodes.Status413PayloadTooLarge, TooManyRowsType, "Too many invoices",
            string.Create(CultureInfo.InvariantCulture, $"An import takes at most {MaxRows:N0} invoices; this one has {rows:N0}. Split it into several requests."));
}

/// <summary>One import row as read: the fields that could be read, and what could not (a whole-row problem under <see cref="InvoiceFields.Body"/>).</summary>
internal readonly record struct ImportRow(InvoiceDraft Draft, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors);
