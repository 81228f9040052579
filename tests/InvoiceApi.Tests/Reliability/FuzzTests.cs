using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using CsCheck;
using InvoiceApi.Tests.Infrastructure;
using InvoiceApi.Tests.OpenApi;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// Hostile input, generated: at least 5,000 requests per run across every route of both functions. No answer is a 5xx,
/// every error is <c>application/problem+json</c> with a parseable body, and invoices change only through a valid write
/// (a 2xx write may change the rows its answer names, nothing else; any other answer changes nothing).
/// </summary>
/// <remarks>
/// A failure prints the CsCheck seed of the smallest failing request. Replay it with
/// <c>FUZZ_SEED=&lt;seed&gt; dotnet test --filter "FullyQualifiedName~FuzzTests"</c> (one request, that one);
/// <c>FUZZ_ITERATIONS=N</c> changes how many requests a run sends.
/// </remarks>
[Trait("Category", Category.Fuzz)]
public sealed class FuzzTests(PostgresServer server)
{
    private const int Lanes = 4;

    [Fact]
    public async Task Generated_hostile_requests_get_no_5xx_only_problem_json_errors_and_change_nothing_but_valid_writes()
    {
        var seed = Environment.GetEnvironmentVariable("FUZZ_SEED");
        var iterations = seed is { Length: > 0 } ? 1 : int.Parse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS") is { Length: > 0 } n ? n : "5000", CultureInfo.InvariantCulture);
        await using var lab = await FuzzLab.StartAsync(server, Lanes, TestContext.Current.CancellationToken);
        var victimBefore = await lab.SnapshotAsync(FuzzLab.Victim);
        var sent = 0;
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();

        await FuzzRequests.Any.SampleAsync(async request =>
        {
            var status = await lab.WithLaneAsync(lane => CheckAsync(lab, lane, request));
            Interlocked.Increment(ref sent);
            statuses.AddOrUpdate(status, 1, (_, count) => count + 1);
        }, seed: seed is { Length: > 0 } ? seed : null, iter: iterations, threads: Lanes, print: request => request.ToString(),
        writeLine: line => TestContext.Current.SendDiagnosticMessage(line));

        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz: {sent} requests in {clock.Elapsed.TotalSeconds:0.0} s; statuses " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}")));
        Assert.True(sent >= iterations, $"only {sent} of {iterations} requests were sent");
        Assert.Equal(victimBefore, await lab.SnapshotAsync(FuzzLab.Victim));
    }

    /// <summary>Sends one request on a lane and checks the answer and the lane caller's rows; returns the status.</summary>
    internal static async Task<int> CheckAsync(FuzzLab lab, FuzzLane lane, FuzzRequest request)
    {
        var before = await lab.SnapshotAsync(lane.Caller);
        var (status, contentType, body, headers, undescribed) = await SendAsync(lab, lane, request);
        var after = await lab.SnapshotAsync(lane.Caller);
        var context = $"{request}\n=> {status} {contentType}\n{FuzzRequest.Shorten(body, 2000)}";

        if (status >= 500)
        {
            throw new InvalidOperationException($"5xx answer:\n{context}");
        }
        if (request.BreaksHttp)
        {
            // Refused by the web server while parsing, before any of our code: a bare 400 is all HTTP has left to say.
            if (status != 400)
            {
                throw new InvalidOperationException($"a request HTTP cannot carry was not refused with 400:\n{context}");
            }
        }
        else
        {
            if (status >= 400)
            {
                CheckProblem(request, status, contentType, body, context);
            }
            // As the outside conformance run does through a validating proxy: the answer is one the document describes.
            if (undescribed.Count > 0)
            {
                throw new InvalidOperationException($"an answer the OpenAPI document does not describe:\n{string.Join("\n", undescribed)}\n{context}");
            }
        }
        var changed = after.Where(row => !before.TryGetValue(row.Key, out var digest) || digest != row.Value).Select(row => row.Key).ToHashSet();
        if (before.Keys.Any(id => !after.ContainsKey(id)))
        {
            throw new InvalidOperationException($"a row disappeared:\n{context}");
        }
        if (changed.Count == 0)
        {
            return status;
        }
        if (status is < 200 or >= 300 || !request.IsWrite)
        {
            throw new InvalidOperationException($"rows {string.Join(", ", changed)} changed, but the answer was not a successful write:\n{context}");
        }
        var named = NamedIds(body, headers);
        var unexplained = changed.Where(id => !named.Contains(id)).ToList();
        if (unexplained.Count > 0)
        {
            throw new InvalidOperationException($"rows {string.Join(", ", unexplained)} changed but the answer does not name them:\n{context}");
        }
        foreach (var id in changed.Where(id => !before.ContainsKey(id)))
        {
            lane.Remember(id);
        }
        return status;
    }

    private static void CheckProblem(FuzzRequest request, int status, string? contentType, string body, string context)
    {
        if (contentType != "application/problem+json")
        {
            throw new InvalidOperationException($"error without application/problem+json:\n{context}");
        }
        if (request.Method == "HEAD")
        {
            return;
        }
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            if (root.GetProperty("status").GetInt32() != status || root.GetProperty("type").GetString() is null
                || root.GetProperty("title").GetString() is null || root.GetProperty("detail").GetString() is null)
            {
                throw new InvalidOperationException($"problem body disagrees with the answer:\n{context}");
            }
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException)
        {
            throw new InvalidOperationException($"unparseable problem body ({exception.Message}):\n{context}");
        }
    }

    // A write's answer names what it changed: the invoice's id, an import's ids, or the Location of a created invoice.
    private static HashSet<Guid> NamedIds(string body, HttpResponseHeaders headers)
    {
        var ids = new HashSet<Guid>();
        if (headers.Location is { } location && Guid.TryParse(location.OriginalString.Trim('/'), out var created))
        {
            ids.Add(created);
        }
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (json.RootElement.TryGetProperty("id", out var id) && Guid.TryParse(id.GetString(), out var one))
                {
                    ids.Add(one);
                }
                if (json.RootElement.TryGetProperty("ids", out var many))
                {
                    ids.UnionWith(many.EnumerateArray().Select(item => Guid.Parse(item.GetString()!)));
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: it names nothing.
        }
        return ids;
    }

    private static async Task<(int Status, string? ContentType, string Body, HttpResponseHeaders Headers, IReadOnlyList<string> Undescribed)> SendAsync(
        FuzzLab lab, FuzzLane lane, FuzzRequest request)
    {
        var id = request.Id switch
        {
            FuzzId.Own => lane.Own(request.IdIndex),
            FuzzId.Victims => lab.VictimIds[request.IdIndex % lab.VictimIds.Count],
            _ => Guid.CreateVersion7(),
        };
        var baseAddress = request.Target == FuzzTarget.Invoices ? lane.InvoicesBase : lane.StatsBase;
        var path = request.PathAndQuery.Replace("{id}", id.ToString(), StringComparison.Ordinal);
        // Concatenated, not resolved against the base: a path such as //x must stay a path, not become a host.
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(baseAddress.GetLeftPart(UriPartial.Authority) + path));
        if (FuzzLab.Authorization(request.Caller, lane.Caller) is { } authorization)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        if (request.Body is not null)
        {
            var bytes = request.Body.ToBytes();
            message.Content = new ByteArrayContent(bytes);
            // A large body waits for the server's go-ahead, so a 413 refusal arrives instead of a reset mid-upload.
            message.Headers.ExpectContinue = bytes.Length > 64 * 1024;
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }
        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await lane.Client.SendAsync(message, TestContext.Current.CancellationToken);
            body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            throw new InvalidOperationException($"no answer ({exception.Message}):\n{request}", exception);
        }
        using var disposal = response;
        var description = request.Target == FuzzTarget.Invoices ? OpenApiDescription.Invoices : OpenApiDescription.Stats;
        var undescribed = description.Check(request.Method, message.RequestUri!.AbsolutePath, (int)response.StatusCode, response.Headers, response.Content.Headers, body);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, System.Text.Encoding.UTF8.GetString(body), response.Headers, undescribed);
    }
}
