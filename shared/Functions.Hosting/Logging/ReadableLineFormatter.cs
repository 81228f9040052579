using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace InvoiceApi.Functions.Hosting.Logging;

/// <summary>One readable line per entry for a developer's terminal: time, level, category, message, then the exception.</summary>
public sealed class ReadableLineFormatter : ConsoleFormatter
{
    /// <summary>The name to select this formatter with.</summary>
    public const string FormatterName = "readable-line";

    /// <summary>Creates the formatter.</summary>
    public ReadableLineFormatter()
        : base(FormatterName)
    {
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
        var category = logEntry.Category[(logEntry.Category.LastIndexOf('.') + 1)..];
        textWriter.Write($"{DateTime.Now:HH:mm:ss.fff} {Level(logEntry.LogLevel)} {category}: {SecretRedactor.Redact(message ?? "")}");
        if (logEntry.Exception is { } exception)
        {
            // The exception keeps its own lines: a stack trace squeezed into one line helps nobody.
            textWriter.Write(Environment.NewLine + SecretRedactor.Redact(exception.ToString()));
        }
        textWriter.Write('\n');
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "FAIL",
        LogLevel.Critical => "CRIT",
        _ => "    ",
    };
}
