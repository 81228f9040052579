using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// <c>--seed N</c>: loads N demo invoices through the running Invoices function (<c>POST /import</c>, then <c>DELETE</c>
/// to archive a few), exactly as a client would, so every trigger and rollup is the real one. Four fifths go to
/// demo-user-1, the rest to demo-user-2. It only seeds an empty database: when a demo caller already has invoices it
/// says so and adds none, so running it twice never doubles the data.
/// </summary>
internal static class DemoSeed
{
    // Well under the import's 10,000 rows and 10 MiB; a few at once keep both cores and the pool busy.
    private const int BatchSize = 2_500;
    private const int ParallelImports = 3;
    private const int MaxArchivedPerCaller = 25;
    private const int ArchiveOneIn = 200;
    private const int ArchiveOlderThanDays = 270;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    /// <exception cref="EmulatorFailure">The function refused a request or could not be reached (exit code 1).</exception>
    internal static async Task RunAsync(int count, LocalFunction invoices, LocalAuthority authority, EmulatorConsole console, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = invoices.BaseAddress, Timeout = RequestTimeout };
        var tokens = LocalCallers.All.ToDictionary(caller => caller, caller => authority.IssueToken(caller, admin: false, TimeSpan.FromHours(1)));
        try
        {
            foreach (var (caller, token) in tokens)
            {
                if (await HasInvoicesAsync(client, token, cancellationToken))
                {
                    console.Info($"seed: skipped, {caller} already has invoices (--seed only fills an empty database; --fresh --seed {count} starts over)");
                    return;
                }
            }
            var today = DemoInvoiceGenerator.Today();
            var seeded = new List<DemoInvoice>();
            var shares = new List<string>();
            var archived = 0;
            using var gate = new SemaphoreSlim(ParallelImports);
            foreach (var (caller, share) in Split(count))
            {
                var generated = DemoInvoiceGenerator.Generate(caller, share, today);
                var batches = await Task.WhenAll(generated.Chunk(BatchSize).Select(batch => ImportAsync(client, gate, tokens[caller], caller, batch, cancellationToken)));
                archived += await ArchiveSomeAsync(client, tokens[caller], generated, [.. batches.SelectMany(ids => ids)], today, cancellationToken);
                seeded.AddRange(generated);
                shares.Add($"{caller} {share}");
            }
            console.Info($"seed: {count} demo invoices imported through POST /import in {clock.Elapsed.TotalSeconds:0.0} s ({string.Join(", ", shares)}; {Describe(seeded, today)}; {archived} archived)");
        }
        catch (HttpRequestException exception)
        {
            throw new EmulatorFailure(ExitCodes.Failed, $"Seeding failed: the Invoices function at {invoices.BaseAddress} could not be reached ({exception.Message}).");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EmulatorFailure(ExitCodes.Failed, $"Seeding failed: the Invoices function did not answer within {RequestTimeout.TotalMinutes:0} minutes.");
        }
    }

    private static IEnumerable<(string Caller, int Count)> Split(int count)
    {
        var second = count / 5;
        yield return (LocalCallers.First, count - second);
        if (second > 0)
        {
            yield return (LocalCallers.Second, second);
        }
    }

    private static async Task<bool> HasInvoicesAsync(HttpClient client, string token, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(client, Request(HttpMethod.Get, "/?include=archived&limit=1", token), "GET /", cancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("data").GetArrayLength() > 0;
    }

    private static async Task<IReadOnlyList<Guid>> ImportAsync(
        HttpClient client, SemaphoreSlim gate, string token, string caller, DemoInvoice[] batch, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await ImportAsync(client, token, caller, batch, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<IReadOnlyList<Guid>> ImportAsync(HttpClient client, string token, string caller, DemoInvoice[] batch, CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Post, "/import", token);
        request.Content = new ByteArrayContent(DemoImportBody.Write(batch)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        using var response = await SendAsync(client, request, $"POST /import for {caller}", cancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return [.. body.RootElement.GetProperty("ids").EnumerateArray().Select(id => id.GetGuid())];
    }

    // A few old paid or void invoices, as a tidy bookkeeper archives them; archived invoices leave lists and totals.
    private static async Task<int> ArchiveSomeAsync(
        HttpClient client, string token, IReadOnlyList<DemoInvoice> invoices, List<Guid> ids, DateOnly today, CancellationToken cancellationToken)
    {
        var wanted = Math.Min(MaxArchivedPerCaller, invoices.Count / ArchiveOneIn);
        var chosen = invoices.Select((invoice, index) => (invoice, index))
            .Where(pair => pair.invoice.Status != "pending" && pair.invoice.Date < today.AddDays(-ArchiveOlderThanDays))
            .Where((_, position) => position % 7 == 0)
            .Take(wanted)
            .ToList();
        foreach (var (_, index) in chosen)
        {
            var request = Request(HttpMethod.Delete, $"/{ids[index]}", token);
            request.Headers.TryAddWithoutValidation("If-Match", "*");
            using var response = await SendAsync(client, request, "DELETE /{id}", cancellationToken);
        }
        return chosen.Count;
    }

    private static string Describe(IReadOnlyList<DemoInvoice> invoices, DateOnly today)
    {
        int Count(string status) => invoices.Count(invoice => invoice.Status == status);
        var overdue = invoices.Count(invoice => invoice.Status == "pending" && invoice.DueDate < today);
        var currencies = string.Join("/", invoices.Select(invoice => invoice.Currency).Distinct().Order(StringComparer.Ordinal));
        return $"paid {Count("paid")}, pending {Count("pending")} of which {overdue} overdue, void {Count("void")}; {currencies}";
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string token) =>
        new(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        using (request)
        {
            var response = await client.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new EmulatorFailure(ExitCodes.Failed,
                $"Seeding failed: {what} answered {(int)response.StatusCode} {response.ReasonPhrase}: {(body.Length > 600 ? body[..600] + "..." : body)}");
        }
    }
}
