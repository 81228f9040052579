using System.Net.Http.Headers;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>
/// The Invoices function on its own freshly migrated database, served in-process by the real host, with clients for
/// two ordinary callers and an admin.
/// </summary>
public sealed class InvoicesApp : IAsyncDisposable
{
    public const string CallerA = "caller-a";
    public const string CallerB = "caller-b";
    public const string AdminCaller = "admin-1";

    private InvoicesApp(TestDatabase database, InProcessFunction function)
    {
        Database = database;
        Function = function;
        A = ClientFor(CallerA);
        B = ClientFor(CallerB);
        Admin = ClientFor(AdminCaller, new Dictionary<string, object> { ["role"] = "admin" });
    }

    public TestDatabase Database { get; }

    public InProcessFunction Function { get; }

    /// <summary>Caller A's client.</summary>
    public HttpClient A { get; }

    /// <summary>Caller B's client.</summary>
    public HttpClient B { get; }

    /// <summary>A client whose token carries the admin role.</summary>
    public HttpClient Admin { get; }

    /// <summary>A client that sends no token.</summary>
    public HttpClient Anonymous => Function.AnonymousClient;

    public static async Task<InvoicesApp> StartAsync(PostgresServer server, Dictionary<string, string?>? extraVariables = null)
    {
        var database = await server.CreateDatabaseAsync(migrated: true, TestContext.Current.CancellationToken);
        var variables = database.RuntimeSocketVariables();
        foreach (var (name, value) in extraVariables ?? [])
        {
            variables[name] = value;
        }
        var function = await InProcessFunction.StartAsync(typeof(global::Invoices.Function).Assembly, variables);
        return new InvoicesApp(database, function);
    }

    /// <summary>A client for <paramref name="subject"/>, with extra token claims.</summary>
    public HttpClient ClientFor(string subject, IReadOnlyDictionary<string, object>? claims = null)
    {
        var client = Function.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuthority.Token(subject, claims: claims));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        A.Dispose();
        B.Dispose();
        Admin.Dispose();
        await Function.DisposeAsync();
    }
}
