using System.Buffers;
using System.Text.Json;
using InvoiceApi.Functions.Api.Json;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>
/// A response carrying one invoice: its JSON (docs/api.md, "The invoice"), its ETag, <c>Cache-Control: private,
/// no-cache</c> and, when it was just created, its Location.
/// </summary>
/// <remarks>
/// Hand-written with <see cref="Utf8JsonWriter"/> rather than a serializer: lists and exports write thousands of these,
/// and the benchmark measured the difference.
/// </remarks>
internal sealed class InvoiceResponse(int status, string etag, byte[] body, string? location = null) : IResult
{
    internal const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>200 with <paramref name="invoice"/>.</summary>
    internal static InvoiceResponse Ok(InvoiceRow invoice) =>
        new(StatusCodes.Status200OK, InvoiceETag.For(invoice.Version), Serialize(invoice));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = JsonContentType;
        SetCacheHeaders(response, etag);
        if (location is not null)
        {
            response.Headers.Location = location;
        }
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, httpContext.RequestAborted);
    }

    /// <summary>The headers of an invoice response, also those of its 304.</summary>
    internal static void SetCacheHeaders(HttpResponse response, string etag)
    {
        response.Headers.ETag = etag;
        // The invoice is the caller's own: no shared cache keeps it, and a client revalidates with If-None-Match.
        response.Headers.CacheControl = "private, no-cache";
    }

    /// <summary>Where an invoice lives, relative to this function's URL (PathBase when the function is mounted under a prefix).</summary>
    internal static string LocationOf(HttpRequest request, Guid id) => $"{request.PathBase}/{id:D}";

    /// <summary>One invoice's JSON as bytes: the body of this response, stored for an idempotent replay, merged into by PATCH.</summary>
    internal static byte[] Serialize(InvoiceRow invoice)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer, ApiJson.WriterOptions))
        {
            Write(json, invoice);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes one invoice object. Money is a decimal string ("1234.50"), so no client parses it as a float.</summary>
    internal static void Write(Utf8JsonWriter json, InvoiceRow invoice)
    {
        json.WriteStartObject();
        json.WriteString("id", invoice.Id);
        json.WriteStringOrNull("number", invoice.Number);
        json.WriteString("date", ApiJson.Date(invoice.Date));
        json.WriteStringOrNull("due_date", invoice.DueDate is { } due ? ApiJson.Date(due) : null);
        json.WriteString("provider", invoice.Provider);
        json.WriteStringOrNull("nit", invoice.Nit);
        json.WriteString("amount", InvoiceFormats.Amount(invoice.Amount));
        json.WriteString("currency", invoice.Currency);
        json.WriteStringOrNull("payment_method", invoice.PaymentMethod);
        json.WriteString("category", invoice.Category);
        json.WriteStringOrNull("description", invoice.Description);
        json.WriteString("status", invoice.Status);
        json.WriteStringOrNull("paid_at", invoice.PaidAt is { } paid ? ApiJson.Date(paid) : null);
        json.WriteStringOrNull("file_path", invoice.FilePath);
        json.WritePropertyName("ocr_data");
        if (invoice.OcrData is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(invoice.OcrData, skipInputValidation: true);
        }
        json.WriteNumberOrNull("ocr_confidence", invoice.OcrConfidence);
        json.WriteString("kind", invoice.Kind);
        WriteAmountOrNull(json, "subtotal", invoice.Subtotal);
        WriteAmountOrNull(json, "discounts", invoice.Discounts);
        WriteAmountOrNull(json, "charges", invoice.Charges);
        WriteAmountOrNull(json, "prepaid", invoice.Prepaid);
        WriteAmountOrNull(json, "rounding", invoice.Rounding);
        json.WritePropertyName("taxes");
        InvoiceTax.WriteStored(json, invoice.Taxes);
        json.WritePropertyName("withholdings");
        InvoiceTax.WriteStored(json, invoice.Withholdings);
        json.WriteString("payable", InvoiceFormats.Amount(invoice.Payable));
        json.WriteStringOrNull("cufe", invoice.Cufe);
        json.WriteStringOrNull("refers_to", invoice.RefersTo?.ToString("D"));
        json.WriteStringOrNull("refers_to_cufe", invoice.RefersToCufe);
        json.WriteStringOrNull("document_sha256", invoice.DocumentSha256);
        json.WriteString("created_at", InvoiceFormats.Timestamp(invoice.CreatedAt));
        json.WriteString("updated_at", InvoiceFormats.Timestamp(invoice.UpdatedAt));
        json.WriteNumber("version", invoice.Version);
        json.WriteStringOrNull("archived_at", invoice.ArchivedAt is { } archived ? InvoiceFormats.Timestamp(archived) : null);
        json.WriteString("created_by", invoice.CreatedBy);
        json.WriteStringOrNull("created_by_email", invoice.CreatedByEmail);
        json.WriteString("updated_by", invoice.UpdatedBy);
        json.WriteStringOrNull("updated_by_email", invoice.UpdatedByEmail);
        json.WriteEndObject();
    }

    private static void WriteAmountOrNull(Utf8JsonWriter json, string name, decimal? amount) =>
        json.WriteStringOrNull(name, amount is { } value ? InvoiceFormats.Amount(value) : null);
}
