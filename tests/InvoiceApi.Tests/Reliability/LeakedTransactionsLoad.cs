using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using InvoiceApi.Tests.Hosting;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// A mixed load on the Invoices and Stats processes: lists, single reads, creates, patches and dashboards, of which one
/// in ten is abandoned mid-request: cancelled by HttpClient after a few milliseconds, or sent on a raw socket that is
/// closed (or reset) right after the headers or halfway through the body.
/// </summary>
internal sealed class LeakedTransactionsLoad(Uri invoices, Uri stats, IReadOnlyDictionary<string, Guid[]> invoicesByCaller, int seed)
{
    private readonly ConcurrentDictionary<string, int> _outcomes = new();
    private readonly Dictionary<string, string> _tokens = invoicesByCaller.Keys.ToDictionary(caller => caller, caller => TestAuthority.Token(caller, TimeSpan.FromMinutes(30)));
    private int _next;

    /// <summary>How the requests ended: status codes of completed ones, and the kinds of abort.</summary>
    public IReadOnlyDictionary<string, int> Outcomes => _outcomes;

    /// <summary>Completed requests answered 5xx, with what was asked.</summary>
    public ConcurrentQueue<string> ServerErrors { get; } = new();

    /// <summary>How many requests were sent (fewer than asked when the budget ran out or answers kept failing).</summary>
    public int Sent { get; private set; }

    public async Task RunAsync(int requests, int workers, TimeSpan budget, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = workers };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sent = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(seed + worker);
            // A broken build (a leaking pool answers 503 after every open timeout) stops early instead of running for an hour.
            while (clock.Elapsed < budget && ServerErrors.Count < 20 && Interlocked.Increment(ref _next) <= requests)
            {
                await OneAsync(client, random, cancellationToken);
                Interlocked.Increment(ref sent);
            }
        }, cancellationToken)));
        Sent = sent;
    }

    private async Task OneAsync(HttpClient client, Random random, CancellationToken cancellationToken)
    {
        var callers = invoicesByCaller.Keys.ToArray();
        var caller = callers[random.Next(callers.Length)];
        var (baseAddress, method, path, body) = Pick(random, caller);
        var abort = random.Next(10) == 0;
        if (abort && random.Next(2) == 0)
        {
            await AbandonOnSocketAsync(baseAddress, method, path, _tokens[caller], body, random, cancellationToken);
            return;
        }
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(baseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[caller]);
        if (method == "PATCH")
        {
            request.Headers.TryAddWithoutValidation("If-Match", "*");
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (abort)
        {
            cancel.CancelAfter(random.Next(1, 25));
        }
        try
        {
            using var response = await client.SendAsync(request, cancel.Token);
            var text = await response.Content.ReadAsStringAsync(cancel.Token);
            var status = (int)response.StatusCode;
            Count(abort ? "cancelled too late" : status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (status >= 500 && !abort)
            {
                ServerErrors.Enqueue($"{method} {baseAddress}{path.TrimStart('/')} => {status} {text}");
            }
        }
        catch (OperationCanceledException) when (abort && !cancellationToken.IsCancellationRequested)
        {
            Count("cancelled by HttpClient");
        }
    }

    private (Uri BaseAddress, string Method, string Path, string? Body) Pick(Random random, string caller)
    {
        var own = invoicesByCaller[caller];
        var id = own[random.Next(own.Length)];
        return random.Next(20) switch
        {
            < 6 => (invoices, "GET", ListPath(random), null),
            < 9 => (invoices, "GET", $"/{id}", null),
            < 12 => (invoices, "POST", "/", $$"""{"date":"2024-0{{random.Next(1, 10)}}-1{{random.Next(0, 10)}}","provider":"Load {{random.Next(50)}}","amount":"{{random.Next(1, 100000)}}.{{random.Next(10, 99)}}","category":"Cat {{random.Next(5)}}","status":"{{(random.Next(3) == 0 ? "paid" : "pending")}}"}"""),
            < 14 => (invoices, "PATCH", $"/{id}", $$"""{"description":"touched {{random.Next()}}"}"""),
            < 18 => (stats, "GET", "/dashboard?from=2024-01-01&to=2024-12-31", null),
            < 19 => (stats, "GET", "/trend?months=12&by=status", null),
            _ => (stats, "GET", "/providers?from=2024-01-01&to=2024-12-31&limit=5", null),
        };
    }

    private static string ListPath(Random random) => random.Next(4) switch
    {
        0 => "/",
        1 => "/?sort=amount&order=asc&limit=50",
        2 => "/?q=load&status=pending,paid&include=archived",
        _ => "/?date_from=2024-01-01&date_to=2024-06-30&sort=provider",
    };

    // Sends the head (and maybe half the body) on a bare socket, then closes it: with a FIN, or with a reset.
    private async Task AbandonOnSocketAsync(Uri baseAddress, string method, string path, string token, string? body, Random random, CancellationToken cancellationToken)
    {
        var bodyBytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nAuthorization: Bearer {token}\r\n");
        if (method == "PATCH")
        {
            head.Append("If-Match: *\r\n");
        }
        if (body is not null)
        {
            head.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Type: application/json\r\nContent-Length: {bodyBytes.Length}\r\n");
        }
        head.Append("\r\n");
        using var socket = new TcpClient();
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, cancellationToken);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
        if (bodyBytes.Length > 0)
        {
            await stream.WriteAsync(bodyBytes.AsMemory(0, bodyBytes.Length / 2), cancellationToken);
        }
        if (random.Next(2) == 0)
        {
            // Give the server time to start the work (open a transaction, run a query) before the client vanishes.
            await Task.Delay(random.Next(1, 15), cancellationToken);
        }
        var reset = random.Next(2) == 0;
        if (reset)
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        socket.Close();
        Count(reset ? "socket reset" : "socket closed");
    }

    private void Count(string outcome) => _outcomes.AddOrUpdate(outcome, 1, (_, count) => count + 1);
}
