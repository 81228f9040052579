using System.Globalization;
using System.Text.Json;
using InvoiceApi.Functions.Api.Json;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api.Problems;

/// <summary>Writes a <see cref="Problem"/> as <c>application/problem+json</c>, without reflection (Native AOT safe).</summary>
public static class ProblemWriter
{
    /// <summary>The media type of every error response.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>Writes <paramref name="problem"/> as the whole response; the response must not have started.</summary>
    public static async Task WriteAsync(HttpContext context, Problem problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problem);
        var response = context.Response;
        response.StatusCode = problem.Status;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        if (problem.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        await using (var json = new Utf8JsonWriter(response.BodyWriter, ApiJson.WriterOptions))
        {
            WriteBody(json, problem, context.Request.Path, context.TraceIdentifier);
        }
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static void WriteBody(Utf8JsonWriter json, Problem problem, string instance, string requestId)
    {
        json.WriteStartObject();
        json.WriteString("type", problem.Type);
        json.WriteString("title", problem.Title);
        json.WriteNumber("status", problem.Status);
        json.WriteString("detail", problem.Detail);
        json.WriteString("instance", instance);
        json.WriteString("request_id", requestId);
        if (problem.Errors is { } errors)
        {
            WriteErrors(json, errors);
        }
        json.WriteEndObject();
    }

    /// <summary>An <c>errors</c> member, messages per field, as a problem has it (a per-item answer such as POST /documents' reuses it).</summary>
    public static void WriteErrors(Utf8JsonWriter json, IReadOnlyDictionary<string, IReadOnlyList<string>> errors)
    {
        json.WriteStartObject("errors");
        foreach (var (field, messages) in errors)
        {
            json.WriteStartArray(field);
            foreach (var message in messages)
            {
                json.WriteStringValue(message);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }
}
