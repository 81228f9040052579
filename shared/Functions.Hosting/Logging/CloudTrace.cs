using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Hosting.Logging;

/// <summary>
/// The trace a request belongs to, from Google's <c>X-Cloud-Trace-Context</c> header or W3C <c>traceparent</c>.
/// Used as a logging scope so that every line written while handling the request carries it.
/// </summary>
/// <param name="TraceId">32 hex characters.</param>
/// <param name="SpanId">The span, as Cloud Logging wants it (16 hex characters), or null.</param>
/// <param name="Sampled">Whether the caller sampled the trace.</param>
public sealed record CloudTrace(string TraceId, string? SpanId, bool Sampled)
{
    /// <summary>Reads the trace from <paramref name="headers"/>; X-Cloud-Trace-Context wins over traceparent.</summary>
    public static CloudTrace? FromHeaders(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return ParseCloudTraceContext(headers["X-Cloud-Trace-Context"].ToString())
            ?? ParseTraceParent(headers["traceparent"].ToString());
    }

    /// <summary>Parses <c>TRACE_ID/SPAN_ID;o=1</c>, where SPAN_ID is decimal and both parts after the id are optional.</summary>
    public static CloudTrace? ParseCloudTraceContext(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var traceId = slash < 0 ? value.Split(';')[0] : value[..slash];
        if (!IsId(traceId, 32))
        {
            return null;
        }
        string? spanId = null;
        var sampled = value.Contains(";o=1", StringComparison.Ordinal);
        if (slash >= 0)
        {
            var spanText = value[(slash + 1)..].Split(';')[0];
            if (ulong.TryParse(spanText, NumberStyles.None, CultureInfo.InvariantCulture, out var span))
            {
                spanId = span.ToString("x16", CultureInfo.InvariantCulture);
            }
        }
        return new CloudTrace(traceId.ToLowerInvariant(), spanId, sampled);
    }

    /// <summary>Parses W3C <c>00-TRACEID-SPANID-FLAGS</c>.</summary>
    public static CloudTrace? ParseTraceParent(string value)
    {
        var parts = value.Split('-');
        if (parts.Length < 4 || !IsHex(parts[0], 2) || !IsId(parts[1], 32) || !IsId(parts[2], 16) || !IsHex(parts[3], 2))
        {
            return null;
        }
        var flags = int.Parse(parts[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new CloudTrace(parts[1].ToLowerInvariant(), parts[2].ToLowerInvariant(), (flags & 1) == 1);
    }

    /// <summary>The value of <c>logging.googleapis.com/trace</c> for <paramref name="projectId"/>.</summary>
    public string ResourceName(string projectId) => $"projects/{projectId}/traces/{TraceId}";

    /// <inheritdoc />
    public override string ToString() => $"trace {TraceId}";

    private static bool IsHex(string text, int length) => text.Length == length && text.All(char.IsAsciiHexDigit);

    // An all-zero trace or span id is invalid in both formats.
    private static bool IsId(string text, int length) => IsHex(text, length) && text.Any(c => c != '0');
}
