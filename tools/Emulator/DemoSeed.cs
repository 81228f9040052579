using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// <c>--seed N</c>: loads N demo invoices through the running Invoices function (<c>POST /import</c>, then <c>PATCH</c>
/// and <c>DELETE</c> for a few), exactly as a client would, so every trigger, rollup and history entry is the real one.
/// Four fifths go to the demo business account, recorded in turn by its owner and its editor; the owner then revises a
/// few the editor recorded and the editor archives a few old ones, so who recorded and who last changed an invoice
/// differ and its history shows both. About one in ten of the business's invoices come in as its suppliers' DIAN
/// documents instead (<see cref="DemoDocuments"/>), through <c>POST /documents</c> and the real intake, after the owner
/// has set the account's NIT (<c>PUT /account</c>), so they are read, checked and stored as a supplier's e-mail would be;
/// a refused document fails the seed. The rest go to demo-user-2's own account. It only seeds an empty database: when a
/// demo account already has invoices it says so and adds none, so running it twice never doubles the data.
/// </summary>
internal static class DemoSeed
{
    // Well under the import's 10,000 rows and 10 MiB; a few at once keep both cores and the pool busy.
    private const int BatchSize = 2_500;
    private const int ParallelImports = 3;
    private const int MaxArchivedPerAccount = 25;
    private const int ArchiveOneIn = 200;
    private const int ArchiveOlderThanDays = 270;
    private const int MaxRevisedPerAccount = 25;
    private const int ReviseOneIn = 40;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// One demo account's share: who records its invoices (in turn), who archives old ones, who revises others' (if
    /// anyone), and the owner who sets the account's NIT so its suppliers' DIAN documents can come in (null: none come).
    /// </summary>
    private sealed record DemoBook(string Account, int Count, IReadOnlyList<LocalMember> Recorders, LocalMember Archiver, LocalMember? Reviser, LocalMember? DocumentsOwner)
    {
        internal LocalMember RecorderOf(int position) => Recorders[position % Recorders.Count];
    }

    /// <exception cref="EmulatorFailure">The function refused a request or could not be reached (exit code 1).</exception>
    internal static async Task RunAsync(int count, LocalFunction invoices, LocalAuthority authority, EmulatorConsole console, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = invoices.BaseAddress, Timeout = RequestTimeout };
        var tokens = LocalCallers.All.ToDictionary(member => member, member => authority.IssueToken(member, admin: false, TimeSpan.FromHours(1)));
        try
        {
            var books = Split(count).ToList();
            foreach (var book in books)
            {
                if (await HasInvoicesAsync(client, tokens[book.Recorders[0]], cancellationToken))
                {
                    console.Info($"seed: skipped, {book.Account} already has invoices (--seed only fills an empty database; --fresh --seed {count} starts over)");
                    return;
                }
            }
            var today = DemoInvoiceGenerator.Today();
            var seeded = new List<DemoInvoice>();
            var shares = new List<string>();
            var (revised, archived) = (0, 0);
            var sent = new List<DemoDocument>();
            using var gate = new SemaphoreSlim(ParallelImports);
            foreach (var book in books)
            {
                var generated = DemoInvoiceGenerator.Generate(book.Account, book.Count, today);
                var documents = book.DocumentsOwner is null ? new Dictionary<int, DemoDocument>() : DemoDocuments.Plan(generated);
                if (documents.Count > 0)
                {
                    await SetBuyerNitAsync(client, tokens[book.DocumentsOwner!], cancellationToken);
                }
                // Imports first: a document takes the category its supplier's latest invoice has.
                var ids = await ImportAsync(client, gate, tokens, book, generated, documents, cancellationToken);
                await SendDocumentsAsync(client, gate, tokens, book, generated, documents, ids, cancellationToken);
                sent.AddRange(documents.Values);
                if (book.Reviser is { } reviser)
                {
                    revised += await ReviseSomeAsync(client, tokens[reviser], book, generated, documents, ids, cancellationToken);
                }
                archived += await ArchiveSomeAsync(client, tokens[book.Archiver], generated, ids, today, cancellationToken);
                seeded.AddRange(generated);
                shares.Add(book.Recorders.Count == 1 ? $"{book.Account} {book.Count}" : $"{book.Account} {book.Count} by {string.Join(" and ", book.Recorders.Select(member => member.Id))}");
            }
            console.Info($"seed: {count} demo invoices in {clock.Elapsed.TotalSeconds:0.0} s, {count - sent.Count} through POST /import and " +
                $"{DescribeDocuments(sent)} ({string.Join(", ", shares)}; {Describe(seeded, today)}; {revised} revised, {archived} archived)");
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

    private static IEnumerable<DemoBook> Split(int count)
    {
        var second = count / 5;
        yield return new DemoBook(LocalCallers.BusinessAccount, count - second, [LocalCallers.Owner, LocalCallers.Editor], LocalCallers.Editor, LocalCallers.Owner,
            DocumentsOwner: LocalCallers.Owner);
        if (second > 0)
        {
            yield return new DemoBook(LocalCallers.Personal.Id, second, [LocalCallers.Personal], LocalCallers.Personal, Reviser: null, DocumentsOwner: null);
        }
    }

    // The book's recorders take the invoices in turn, each importing its own in batches (all but those that come in as
    // documents); the ids come back in the generated order.
    private static async Task<Guid[]> ImportAsync(HttpClient client, SemaphoreSlim gate, Dictionary<LocalMember, string> tokens, DemoBook book,
        IReadOnlyList<DemoInvoice> generated, IReadOnlyDictionary<int, DemoDocument> documents, CancellationToken cancellationToken)
    {
        var ids = new Guid[generated.Count];
        var batches = Enumerable.Range(0, generated.Count).Where(position => !documents.ContainsKey(position)).GroupBy(book.RecorderOf)
            .SelectMany(positions => positions.Chunk(BatchSize).Select(batch => (Member: positions.Key, Positions: batch)));
        await Task.WhenAll(batches.Select(async batch =>
        {
            var rows = batch.Positions.Select(position => generated[position]).ToArray();
            var imported = await ImportAsync(client, gate, tokens[batch.Member], batch.Member.Id, rows, cancellationToken);
            for (var i = 0; i < batch.Positions.Length; i++)
            {
                ids[batch.Positions[i]] = imported[i];
            }
        }));
        return ids;
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

    // A reviewer's note on a few imported invoices another member recorded: their last change is the reviser's, and
    // their history has a patch by someone other than the one who recorded them. Only the description changes, no figure.
    private static async Task<int> ReviseSomeAsync(HttpClient client, string token, DemoBook book, IReadOnlyList<DemoInvoice> invoices,
        IReadOnlyDictionary<int, DemoDocument> documents, Guid[] ids, CancellationToken cancellationToken)
    {
        var wanted = Math.Min(MaxRevisedPerAccount, invoices.Count / ReviseOneIn);
        var chosen = Enumerable.Range(0, invoices.Count)
            .Where(position => book.RecorderOf(position) != book.Reviser && !documents.ContainsKey(position))
            .Where((_, order) => order % 5 == 0)
            .Take(wanted)
            .ToList();
        foreach (var position in chosen)
        {
            var request = Request(HttpMethod.Patch, $"/{ids[position]}", token);
            request.Headers.TryAddWithoutValidation("If-Match", "*");
            var patch = new JsonObject { ["description"] = $"{invoices[position].Description} (revisada)" };
            request.Content = new StringContent(patch.ToJsonString(), Encoding.UTF8, "application/merge-patch+json");
            using var response = await SendAsync(client, request, "PATCH /{id}", cancellationToken);
        }
        return chosen.Count;
    }

    // A few old paid or void invoices, as a tidy bookkeeper archives them; archived invoices leave lists and totals.
    private static async Task<int> ArchiveSomeAsync(
        HttpClient client, string token, IReadOnlyList<DemoInvoice> invoices, Guid[] ids, DateOnly today, CancellationToken cancellationToken)
    {
        var wanted = Math.Min(MaxArchivedPerAccount, invoices.Count / ArchiveOneIn);
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

    // The buyer the documents are addressed to: once the account has a NIT, a document for another buyer is refused.
    private static async Task SetBuyerNitAsync(HttpClient client, string ownerToken, CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Put, "/account", ownerToken);
        var settings = new JsonObject { ["legal_name"] = DemoDocument.BuyerName, ["nit"] = DemoNit.Normalized(DemoDocument.BuyerNitBase) };
        request.Content = new StringContent(settings.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await SendAsync(client, request, "PUT /account", cancellationToken);
    }

    // Each document as its own upload by the member who records that position, as a supplier's e-mail arrives: the
    // invoices first, then the notes, so each note finds its invoice. A document comes in pending, in the category of
    // its supplier's latest invoice; the recorder then settles it as the generated invoice it replaces (paid, void) and
    // gives it the supplier's category if it had none yet.
    private static async Task SendDocumentsAsync(HttpClient client, SemaphoreSlim gate, Dictionary<LocalMember, string> tokens, DemoBook book,
        IReadOnlyList<DemoInvoice> generated, IReadOnlyDictionary<int, DemoDocument> documents, Guid[] ids, CancellationToken cancellationToken)
    {
        foreach (var wave in documents.GroupBy(pair => pair.Value.Kind == DemoDocumentKind.Invoice).OrderByDescending(wave => wave.Key))
        {
            await Task.WhenAll(wave.Select(async pair =>
            {
                var (position, document) = (pair.Key, pair.Value);
                var member = book.RecorderOf(position);
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var (id, category) = await SendDocumentAsync(client, tokens[member], member.Id, document, cancellationToken);
                    ids[position] = id;
                    await SettleAsync(client, tokens[member], id, generated[position], category == document.Supplier.Category ? null : document.Supplier.Category, cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
    }

    /// <summary>Sends one document; anything but "created" (refused, or already there) fails the seed with the function's reasons.</summary>
    private static async Task<(Guid Id, string Category)> SendDocumentAsync(HttpClient client, string token, string caller, DemoDocument document, CancellationToken cancellationToken)
    {
        var (body, contentType) = DianDocumentWriter.Upload(document);
        var request = Request(HttpMethod.Post, "/documents", token);
        request.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } };
        var what = $"POST /documents for {caller} ({document.Kind} {document.Number} of {document.Supplier.Name})";
        using var response = await SendAsync(client, request, what, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        using var answer = JsonDocument.Parse(text);
        var outcome = answer.RootElement.GetProperty("documents")[0];
        if (answer.RootElement.GetProperty("created").GetInt32() != 1 || outcome.GetProperty("status").GetString() != "created")
        {
            throw new EmulatorFailure(ExitCodes.Failed, $"Seeding failed: {what} was not created: {(text.Length > 600 ? text[..600] + "..." : text)}");
        }
        var invoice = outcome.GetProperty("invoice");
        return (invoice.GetProperty("id").GetGuid(), invoice.GetProperty("category").GetString()!);
    }

    private static async Task SettleAsync(HttpClient client, string token, Guid id, DemoInvoice generated, string? category, CancellationToken cancellationToken)
    {
        var patch = new JsonObject();
        if (generated.Status != "pending")
        {
            patch["status"] = generated.Status;
        }
        if (generated.PaidAt is { } paidAt)
        {
            patch["paid_at"] = DemoDocument.Day(paidAt);
        }
        if (category is not null)
        {
            patch["category"] = category;
        }
        if (patch.Count == 0)
        {
            return;
        }
        var request = Request(HttpMethod.Patch, $"/{id}", token);
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        request.Content = new StringContent(patch.ToJsonString(), Encoding.UTF8, "application/merge-patch+json");
        using var response = await SendAsync(client, request, "PATCH /{id} of a document", cancellationToken);
    }

    private static string DescribeDocuments(List<DemoDocument> documents)
    {
        string Count(DemoDocumentKind kind, string name)
        {
            var count = documents.Count(document => document.Kind == kind);
            return $"{count} {name}{(count == 1 ? "" : "s")}";
        }
        return $"{documents.Count} as DIAN documents through POST /documents ({Count(DemoDocumentKind.CreditNote, "credit note")}, " +
            $"{Count(DemoDocumentKind.DebitNote, "debit note")}, {documents.Count(document => document.Zipped)} zipped with a PDF; " +
            $"buyer NIT {DemoNit.Normalized(DemoDocument.BuyerNitBase)})";
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
