using InvoiceApi.Data;
using InvoiceApi.Data.Connection;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Tests.Data;

/// <summary>At start a function names its pool size, and warns when Cloud Run's concurrency is above it.</summary>
public sealed class PoolAnnouncementTests
{
    private static readonly DatabaseEndpoint Endpoint =
        DatabaseEndpointResolver.Resolve(name => name switch { "INSTANCE_HOST" => "127.0.0.1", "DB_USER" => "u", "DB_PASS" => "p", "DB_NAME" => "d", _ => null });

    [Fact]
    public async Task Concurrency_above_the_pool_is_a_warning_that_says_what_to_change()
    {
        var lines = await AnnounceAsync(new() { ["DB_POOL_MAX"] = "5", ["CLOUD_RUN_CONCURRENCY"] = "20" });

        Assert.Contains(lines, line => line.Level == LogLevel.Information && line.Text.Contains("pool of at most 5 connections", StringComparison.Ordinal));
        var warning = Assert.Single(lines, line => line.Level == LogLevel.Warning);
        Assert.Contains("20 requests at once", warning.Text, StringComparison.Ordinal);
        Assert.Contains("up to 15 requests wait", warning.Text, StringComparison.Ordinal);
        Assert.Contains("DB_POOL_MAX", warning.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("4")]
    [InlineData(null)]
    public async Task Concurrency_within_the_pool_or_unknown_gives_no_warning(string? concurrency)
    {
        var lines = await AnnounceAsync(new() { ["DB_POOL_MAX"] = "10", ["CLOUD_RUN_CONCURRENCY"] = concurrency });

        Assert.DoesNotContain(lines, line => line.Level == LogLevel.Warning);
    }

    [Fact]
    public void A_malformed_concurrency_is_refused_naming_the_variable()
    {
        var error = Assert.Throws<DatabaseConfigurationException>(() =>
            DatabasePoolOptions.Read(name => name == "CLOUD_RUN_CONCURRENCY" ? "lots" : null, "test"));

        Assert.Contains("CLOUD_RUN_CONCURRENCY", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<(LogLevel Level, string Text)>> AnnounceAsync(Dictionary<string, string?> variables)
    {
        var logger = new RecordingLogger();
        var options = DatabasePoolOptions.Read(name => variables.GetValueOrDefault(name), "test");
        await new DatabaseEndpointAnnouncer(Endpoint, options, logger).StartAsync(TestContext.Current.CancellationToken);
        return logger.Lines;
    }

    private sealed class RecordingLogger : ILogger<DatabaseEndpointAnnouncer>
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
