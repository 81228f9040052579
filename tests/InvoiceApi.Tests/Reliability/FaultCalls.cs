using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using InvoiceApi.Tests.InvoicesFunction;
using Npgsql;

namespace InvoiceApi.Tests.Reliability;

/// <summary>One request's fate under a fault: when it started and ended (ms on the test's clock) and what came back.</summary>
internal sealed record Outcome(long StartedMs, long EndedMs, int Status, string? MediaType, string? RetryAfter, string? ProblemType,
    string? Location, string? ETag, string Body, string? TransportError)
{
    public long ElapsedMs => EndedMs - StartedMs;

    public bool IsServiceUnavailableProblem =>
        Status == 503 && MediaType == "application/problem+json" && RetryAfter is not null && ProblemType is not null;

    public override string ToString() =>
        $"[{StartedMs}..{EndedMs} ms] {(TransportError is null ? Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : TransportError)} {ProblemType} {Body[..Math.Min(Body.Length, 200)]}";
}

/// <summary>Requests and database checks the fault tests share; every request is timed and never throws.</summary>
internal static class FaultCalls
{
    internal static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A client of <paramref name="function"/> for caller <paramref name="subject"/>; its own timeout is far above every bound checked.</summary>
    internal static HttpClient ClientFor(FunctionProcess function, string subject = InvoicesApp.CallerA) => new()
    {
        BaseAddress = function.Client.BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", TestAuthority.Token(subject, TimeSpan.FromMinutes(30))) },
    };

    /// <summary>A valid invoice whose number identifies the request that created it.</summary>
    internal static string InvoiceBody(string number) => InvoiceCalls.Body(body => body["number"] = number);

    internal static async Task<Outcome> SendAsync(HttpClient client, Stopwatch clock, HttpMethod method, string path, string? body = null,
        string? idempotencyKey = null, string? ifMatch = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        var started = clock.ElapsedMilliseconds;
        try
        {
            using var response = await client.SendAsync(request, Token);
            var text = await response.Content.ReadAsStringAsync(Token);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            return new Outcome(started, clock.ElapsedMilliseconds, (int)response.StatusCode, mediaType,
                response.Headers.TryGetValues("Retry-After", out var retry) ? retry.First() : null,
                mediaType == "application/problem+json" ? ProblemType(text) : null,
                response.Headers.Location?.ToString(), response.Headers.ETag?.ToString(), text, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !Token.IsCancellationRequested)
        {
            return new Outcome(started, clock.ElapsedMilliseconds, 0, null, null, null, null, null, "", exception.GetType().Name + ": " + exception.Message);
        }
    }

    /// <summary>How many rows <paramref name="sql"/> counts, asked as the superuser.</summary>
    internal static async Task<long> CountAsync(NpgsqlDataSource admin, string sql, params object[] parameters)
    {
        await using var command = admin.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(Token), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="sql"/> as the superuser.</summary>
    internal static async Task ExecuteAsync(NpgsqlDataSource admin, string sql)
    {
        await using var command = admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Token);
    }

    /// <summary>Invoice numbers and how often each is stored.</summary>
    internal static async Task<Dictionary<string, long>> StoredNumbersAsync(NpgsqlDataSource admin)
    {
        await using var command = admin.CreateCommand("SELECT number, count(*) FROM invoices GROUP BY number");
        await using var reader = await command.ExecuteReaderAsync(Token);
        var numbers = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(Token))
        {
            numbers[reader.GetString(0)] = reader.GetInt64(1);
        }
        return numbers;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails after <paramref name="limit"/>.</summary>
    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < limit, $"Not within {limit}: {what}");
            await Task.Delay(25, Token);
        }
    }

    private static string? ProblemType(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
