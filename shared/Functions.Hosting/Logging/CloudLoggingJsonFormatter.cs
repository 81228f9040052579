using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace InvoiceApi.Functions.Hosting.Logging;

/// <summary>
/// One JSON object per line in the shape Cloud Logging reads from stdout: severity, message, category,
/// exception, and <c>logging.googleapis.com/trace</c> so lines group under their request.
/// </summary>
public sealed class CloudLoggingJsonFormatter : ConsoleFormatter
{
    /// <summary>The name to select this formatter with.</summary>
    public const string FormatterName = "cloud-logging-json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly IOptionsMonitor<CloudLoggingFormatterOptions> _options;

    /// <summary>Creates the formatter.</summary>
    public CloudLoggingJsonFormatter(IOptionsMonitor<CloudLoggingFormatterOptions> options)
        : base(FormatterName)
    {
        _options = options;
    }

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("severity", Severity(logEntry.LogLevel));
            json.WriteString("message", SecretRedactor.Redact(message ?? ""));
            json.WriteString("category", logEntry.Category);
            json.WriteString("time", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", SecretRedactor.Redact(exception.ToString()));
            }
            WriteFormatParameters(json, logEntry.State as IReadOnlyList<KeyValuePair<string, object?>>);
            WriteScopes(json, scopeProvider, _options.CurrentValue.ProjectId);
            json.WriteEndObject();
        }
        textWriter.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write('\n');
    }

    /// <summary>Cloud Logging's names for the .NET log levels.</summary>
    public static string Severity(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRITICAL",
        _ => "DEFAULT",
    };

    private static void WriteFormatParameters(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, object?>>? parameters)
    {
        if (parameters is null || parameters.Count <= 1)
        {
            return;
        }
        json.WriteStartObject("format_parameters");
        foreach (var (name, value) in parameters)
        {
            if (name != "{OriginalFormat}")
            {
                json.WriteString(name, SecretRedactor.Redact(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
            }
        }
        json.WriteEndObject();
    }

    private static void WriteScopes(Utf8JsonWriter json, IExternalScopeProvider? scopeProvider, string? projectId)
    {
        if (scopeProvider is null)
        {
            return;
        }
        CloudTrace? trace = null;
        var scopes = new List<string>();
        scopeProvider.ForEachScope((scope, _) =>
        {
            if (scope is CloudTrace found)
            {
                trace = found;
            }
            else if (scope is not null)
            {
                scopes.Add(Convert.ToString(scope, CultureInfo.InvariantCulture) ?? "");
            }
        }, (object?)null);
        if (trace is not null && projectId is not null)
        {
            json.WriteString("logging.googleapis.com/trace", trace.ResourceName(projectId));
            if (trace.SpanId is not null)
            {
                json.WriteString("logging.googleapis.com/spanId", trace.SpanId);
            }
            json.WriteBoolean("logging.googleapis.com/trace_sampled", trace.Sampled);
        }
        if (scopes.Count > 0)
        {
            json.WriteStartArray("scopes");
            scopes.ForEach(scope => json.WriteStringValue(SecretRedactor.Redact(scope)));
            json.WriteEndArray();
        }
    }
}
