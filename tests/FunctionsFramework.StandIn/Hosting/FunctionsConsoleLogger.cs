using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Google.Cloud.Functions.Hosting;

/// <summary>
/// The framework's console log: one JSON object per line on Cloud Run (severity, message, category, exception,
/// format_parameters), one plain line elsewhere. Scopes are not written by this stand-in.
/// </summary>
internal sealed class FunctionsConsoleLoggerProvider(bool json) : ILoggerProvider
{
    private static readonly Lock Output = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, json);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, bool json) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var message = formatter(state, exception);
            var line = json ? JsonLine(logLevel, message, state, exception) : PlainLine(logLevel, message, exception);
            lock (Output)
            {
                Console.Out.WriteLine(line);
            }
        }

        private string PlainLine(LogLevel level, string message, Exception? exception) =>
            $"[{category}] [{level.ToString().ToLowerInvariant()}] {message}" + (exception is null ? "" : Environment.NewLine + exception);

        private string JsonLine<TState>(LogLevel level, string message, TState state, Exception? exception)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("message", message);
                writer.WriteString("category", category);
                if (exception is not null)
                {
                    writer.WriteString("exception", exception.ToString());
                }
                writer.WriteString("severity", level switch
                {
                    LogLevel.Trace or LogLevel.Debug => "DEBUG",
                    LogLevel.Information => "INFO",
                    LogLevel.Warning => "WARNING",
                    LogLevel.Error => "ERROR",
                    _ => "CRITICAL",
                });
                if (state is IReadOnlyList<KeyValuePair<string, object?>> parameters && parameters.Count > 0)
                {
                    writer.WriteStartObject("format_parameters");
                    foreach (var (name, value) in parameters)
                    {
                        writer.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
    }
}
