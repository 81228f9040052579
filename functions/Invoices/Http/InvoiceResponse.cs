using System.Buffers;
using System.Text.Json;
using InvoiceApi.Functions.Api.Json;
using Invoices.Model;
using Microsoft.AspNetCore.Http;

namespace Invoices.Http;

/// <summary>Writes a response carrying one invoice: JSON body, its ETag, and a Location when it was just created.</summary>
internal static class InvoiceResponse
{
    internal const string JsonContentType = "application/json; charset=utf-8";

    internal static byte[] Serialize(InvoiceRow invoice)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer, ApiJson.WriterOptions))
        {
            InvoiceJson.Write(json, invoice);
        }
        return buffer.WrittenSpan.ToArray();
    }

    internal static Task WriteAsync(HttpContext context, int status, InvoiceRow invoice) =>
        WriteAsync(context, status, InvoiceETag.For(invoice.Version), Serialize(invoice), location: null);

    internal static async Task WriteAsync(HttpContext context, int status, string etag, byte[] body, string? location)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = JsonContentType;
        response.Headers.ETag = etag;
        // The invoice is the caller's own: no shared cache keeps it, and a client revalidates with If-None-Match.
        response.Headers.CacheControl = "private, no-cache";
        if (location is not null)
        {
            response.Headers.Location = location;
        }
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Where an invoice lives, relative to this function's URL (PathBase when the function is mounted under a prefix).</summary>
    internal static string LocationOf(HttpRequest request, Guid id) => $"{request.PathBase}/{id:D}";
}
