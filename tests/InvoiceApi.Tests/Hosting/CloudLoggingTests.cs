using System.Text.Json;
using InvoiceApi.Functions.Hosting.Logging;
using InvoiceApi.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InvoiceApi.Tests.Hosting;

/// <summary>On Cloud Run every log line is one JSON object Cloud Logging understands, correlated with its request's trace.</summary>
public sealed class CloudLoggingTests
{
    private const string TraceId = "105445aa7843bc8bf206b12000100000";
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_function_on_Cloud_Run_writes_json_lines_with_the_trace_of_the_request()
    {
        await using var function = await FunctionProcess.StartAsync("Stats", TestAuthority.With(new()
        {
            ["K_SERVICE"] = "stats",
            ["AUTH_LOCAL_KEY_ALLOW_ON_CLOUD_RUN_INSECURE"] = "true",
            ["GOOGLE_CLOUD_PROJECT"] = "acme-books",
            // A socket that does not exist makes /readyz log a warning inside the request.
            ["INSTANCE_CONNECTION_NAME"] = "acme-books:us-central1:main",
            ["INSTANCE_UNIX_SOCKET"] = "/tmp/no-cloudsql-" + Guid.NewGuid().ToString("N")[..8],
            ["DB_USER"] = "app", ["DB_PASS"] = "pw-never-logged", ["DB_NAME"] = "invoices",
        }), Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        request.Headers.Add("X-Cloud-Trace-Context", $"{TraceId}/1;o=1");

        using var response = await function.Client.SendAsync(request, Token);
        var warning = await function.WaitForLineAsync(line => line.Contains("Not ready", StringComparison.Ordinal), TimeSpan.FromSeconds(5));

        using (var entry = JsonDocument.Parse(warning))
        {
            Assert.Equal("WARNING", entry.RootElement.GetProperty("severity").GetString());
            Assert.Equal($"projects/acme-books/traces/{TraceId}", entry.RootElement.GetProperty("logging.googleapis.com/trace").GetString());
            Assert.Equal("0000000000000001", entry.RootElement.GetProperty("logging.googleapis.com/spanId").GetString());
            Assert.True(entry.RootElement.GetProperty("logging.googleapis.com/trace_sampled").GetBoolean());
            Assert.StartsWith("InvoiceApi.Functions.Api", entry.RootElement.GetProperty("category").GetString(), StringComparison.Ordinal);
        }
        // A request that fails (the database cannot be reached: 503) is logged by the exception handler with its trace too.
        using var failing = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        failing.Headers.Add("X-Cloud-Trace-Context", $"{TraceId}/2;o=1");
        failing.Headers.Authorization = new("Bearer", TestAuthority.Token());
        using var failed = await function.Client.SendAsync(failing, Token);
        var failure = await function.WaitForLineAsync(line => line.Contains("failed with 503", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        using (var entry = JsonDocument.Parse(failure))
        {
            Assert.Equal($"projects/acme-books/traces/{TraceId}", entry.RootElement.GetProperty("logging.googleapis.com/trace").GetString());
            Assert.Equal("0000000000000002", entry.RootElement.GetProperty("logging.googleapis.com/spanId").GetString());
        }
        Assert.All(function.Output, line =>
        {
            using var parsed = JsonDocument.Parse(line);
            Assert.True(parsed.RootElement.TryGetProperty("severity", out _), line);
            Assert.True(parsed.RootElement.TryGetProperty("message", out _), line);
            Assert.DoesNotContain("pw-never-logged", line, StringComparison.Ordinal);
            // Nothing here uses Data Protection, so nothing writes its keys or warns about them.
            Assert.DoesNotContain("DataProtection", line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void An_exception_is_written_whole_in_the_exception_field_with_secrets_masked()
    {
        var exception = Thrown(new InvalidOperationException("connect failed: Host=db;Password=letmein;Username=app"));

        var line = Format(LogLevel.Error, "Request failed", exception, scope: null);

        using var entry = JsonDocument.Parse(line);
        Assert.Equal("ERROR", entry.RootElement.GetProperty("severity").GetString());
        Assert.Equal("Request failed", entry.RootElement.GetProperty("message").GetString());
        var text = entry.RootElement.GetProperty("exception").GetString()!;
        Assert.Contains("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.Contains(" at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("letmein", line, StringComparison.Ordinal);
        Assert.False(entry.RootElement.TryGetProperty("logging.googleapis.com/trace", out _));
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Single(line.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_w3c_traceparent_gives_the_trace_and_span()
    {
        var trace = CloudTrace.ParseTraceParent($"00-{TraceId}-00f067aa0ba902b7-01");

        var line = Format(LogLevel.Information, "hello", exception: null, trace);

        using var entry = JsonDocument.Parse(line);
        Assert.Equal("INFO", entry.RootElement.GetProperty("severity").GetString());
        Assert.Equal($"projects/acme-books/traces/{TraceId}", entry.RootElement.GetProperty("logging.googleapis.com/trace").GetString());
        Assert.Equal("00f067aa0ba902b7", entry.RootElement.GetProperty("logging.googleapis.com/spanId").GetString());
    }

    [Theory]
    [InlineData("not-a-trace")]
    [InlineData("00000000000000000000000000000000/1;o=1")]
    [InlineData("")]
    public void Malformed_trace_headers_are_ignored(string header)
    {
        Assert.Null(CloudTrace.ParseCloudTraceContext(header));
    }

    [Theory]
    [InlineData("Host=/cloudsql/p:r:i;Password=abc123;Database=x", "Host=/cloudsql/p:r:i;Password=***;Database=x")]
    [InlineData("postgresql://app:abc123@db:5432/invoices", "postgresql://app:***@db:5432/invoices")]
    [InlineData("DB_PASS=abc123 was set", "DB_PASS=*** was set")]
    public void Secrets_are_masked(string text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(text));
    }

    private static string Format(LogLevel level, string message, Exception? exception, CloudTrace? scope)
    {
        var formatter = new CloudLoggingJsonFormatter(new FixedOptions(new CloudLoggingFormatterOptions { ProjectId = "acme-books" }));
        var scopes = new LoggerExternalScopeProvider();
        using var pushed = scope is null ? null : scopes.Push(scope);
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(level, "Tests.Category", new EventId(1), message, exception, (state, _) => state);
        formatter.Write(in entry, scopes, writer);
        return writer.ToString();
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private sealed class FixedOptions(CloudLoggingFormatterOptions value) : IOptionsMonitor<CloudLoggingFormatterOptions>
    {
        public CloudLoggingFormatterOptions CurrentValue => value;

        public CloudLoggingFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<CloudLoggingFormatterOptions, string?> listener) => null;
    }
}
