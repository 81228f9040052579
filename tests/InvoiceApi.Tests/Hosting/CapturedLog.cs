using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace InvoiceApi.Tests.Hosting;

/// <summary>
/// A logger provider that writes every entry through the host's own console formatter into memory, so a test sees
/// exactly the lines the console would get. Its filter level is set with <c>Logging:Captured:LogLevel:Default</c>.
/// </summary>
[ProviderAlias("Captured")]
public sealed class CapturedLog(ConsoleFormatter formatter) : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    private ConsoleFormatter Formatter { get; } = formatter;

    /// <summary>Every line written so far.</summary>
    public IReadOnlyList<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => log._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            using var writer = new StringWriter();
            var entry = new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter);
            log.Formatter.Write(in entry, log._scopes, writer);
            foreach (var line in writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                log._lines.Enqueue(line);
            }
        }
    }
}
