using System.Collections.Concurrent;
using System.Text;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// Both functions served in-process on one database, logged in as the runtime role, with lanes: each lane is a caller of
/// its own with seeded invoices and is used by one request at a time, so every change to that caller's rows can be
/// pinned on the one request that made it. Another caller's invoices (the victim's) must never change at all.
/// </summary>
public sealed class FuzzLab : IAsyncDisposable
{
    public const string Victim = "fuzz-victim";
    private static readonly Lazy<LocalSigningKey> ForeignKey = new(() =>
        LocalSigningKey.CreateRsaFile(Path.Combine(TemporaryFolder.Create("ivt-fuzz-"), "foreign.pem")));

    private readonly ConcurrentBag<FuzzLane> _idle;
    private readonly SemaphoreSlim _available;

    private FuzzLab(TestDatabase database, InProcessFunction invoices, InProcessFunction stats, NpgsqlDataSource admin, FuzzLane[] lanes, Guid[] victimIds)
    {
        Database = database;
        Invoices = invoices;
        Stats = stats;
        Admin = admin;
        Lanes = lanes;
        VictimIds = victimIds;
        _idle = new ConcurrentBag<FuzzLane>(lanes);
        _available = new SemaphoreSlim(lanes.Length);
    }

    public TestDatabase Database { get; }

    public InProcessFunction Invoices { get; }

    public InProcessFunction Stats { get; }

    /// <summary>A pooled superuser connection: snapshots bypass row-level security to see every row.</summary>
    public NpgsqlDataSource Admin { get; }

    public IReadOnlyList<FuzzLane> Lanes { get; }

    public IReadOnlyList<Guid> VictimIds { get; }

    public static async Task<FuzzLab> StartAsync(PostgresServer server, int laneCount, CancellationToken cancellationToken)
    {
        var database = await server.CreateDatabaseAsync(migrated: true, cancellationToken);
        var invoices = await InProcessFunction.StartAsync(typeof(global::Invoices.Function).Assembly, database.RuntimeSocketVariables());
        var stats = await InProcessFunction.StartAsync(typeof(global::Stats.Function).Assembly, database.RuntimeSocketVariables());
        var endpoint = database.Endpoint();
        var admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
        {
            Host = endpoint.Host, Port = endpoint.Port, Username = server.Admin.User, Password = server.Admin.Password, Database = database.Name,
            SslMode = SslMode.Disable, MaxPoolSize = laneCount + 2,
        }.ConnectionString);
        var lanes = new FuzzLane[laneCount];
        for (var i = 0; i < laneCount; i++)
        {
            var caller = $"fuzz-{i}";
            lanes[i] = new FuzzLane(caller, await SeedAsync(admin, caller, cancellationToken), invoices.Client.BaseAddress!, stats.Client.BaseAddress!);
        }
        var victimIds = await SeedAsync(admin, Victim, cancellationToken);
        return new FuzzLab(database, invoices, stats, admin, lanes, victimIds);
    }

    /// <summary>Runs <paramref name="work"/> on a lane no other request is using.</summary>
    public async Task<T> WithLaneAsync<T>(Func<FuzzLane, Task<T>> work)
    {
        await _available.WaitAsync(TestContext.Current.CancellationToken);
        _idle.TryTake(out var lane);
        try
        {
            return await work(lane!);
        }
        finally
        {
            _idle.Add(lane!);
            _available.Release();
        }
    }

    /// <summary>Every row of <paramref name="userId"/>: id and a digest of the whole row.</summary>
    public async Task<Dictionary<Guid, string>> SnapshotAsync(string userId)
    {
        await using var command = Admin.CreateCommand("SELECT id, md5(i::text) FROM invoices i WHERE account_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        var rows = new Dictionary<Guid, string>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rows[reader.GetGuid(0)] = reader.GetString(1);
        }
        return rows;
    }

    /// <summary>A digest of the whole table, in id order.</summary>
    public async Task<string> ChecksumAsync()
    {
        await using var command = Admin.CreateCommand("SELECT coalesce(md5(string_agg(i::text, '|' ORDER BY id)), '') || ':' || count(*) FROM invoices i");
        return (string)(await command.ExecuteScalarAsync(CancellationToken.None))!;
    }

    /// <summary>The Authorization header value for <paramref name="caller"/> acting as <paramref name="subject"/>, or null for none.</summary>
    public static string? Authorization(FuzzCaller caller, string subject) => caller switch
    {
        FuzzCaller.Owner => "Bearer " + TestAuthority.Token(subject),
        FuzzCaller.OwnerAsAdmin => "Bearer " + TestAuthority.Token(subject, claims: new Dictionary<string, object> { ["role"] = "admin" }),
        FuzzCaller.Anonymous => null,
        FuzzCaller.Tampered => "Bearer " + Tamper(TestAuthority.Token(subject)),
        FuzzCaller.ForeignKey => "Bearer " + ForeignKey.Value.IssueToken(subject, TestAuthority.Issuer, TestAuthority.Audience, TimeSpan.FromMinutes(5)),
        FuzzCaller.AlgNone => "Bearer " + Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64Url($"{{\"sub\":\"{subject}\",\"iss\":\"{TestAuthority.Issuer}\",\"aud\":\"{TestAuthority.Audience}\",\"exp\":4102444800}}") + ".",
        _ => subject.Length % 2 == 0 ? "Bearer a.b.c" : "Basic dXNlcjpwYXNz",
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in Lanes)
        {
            lane.Dispose();
        }
        await Invoices.DisposeAsync();
        await Stats.DisposeAsync();
        await Admin.DisposeAsync();
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = parts[1].ToCharArray();
        payload[payload.Length / 2] = payload[payload.Length / 2] == 'A' ? 'B' : 'A';
        return $"{parts[0]}.{new string(payload)}.{parts[2]}";
    }

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // Every state a row can be in: pending, overdue, paid, void, archived, another currency.
    private static async Task<Guid[]> SeedAsync(NpgsqlDataSource admin, string userId, CancellationToken cancellationToken)
    {
        await using var command = admin.CreateCommand("""
            INSERT INTO invoices (id, account_id, created_by, updated_by, number, date, due_date, provider, nit, amount, currency, payment_method, category, description, status, paid_at, archived_at)
            VALUES
              (gen_random_uuid(), $1, $1, $1, 'F-1', '2024-03-01', '2024-04-01', 'Papelería El Sol', '900123456-8', 1234.50, 'COP', 'transfer', 'Office', 'paper', 'pending', NULL, NULL),
              (gen_random_uuid(), $1, $1, $1, NULL, '2024-02-01', '2024-02-15', 'Acme', NULL, 99.99, 'COP', NULL, 'Travel', NULL, 'pending', NULL, NULL),
              (gen_random_uuid(), $1, $1, $1, 'P-7', '2024-01-10', NULL, 'Acme', NULL, 10.00, 'USD', 'card', 'Software', 'licence', 'paid', '2024-01-12', NULL),
              (gen_random_uuid(), $1, $1, $1, 'V-1', '2023-12-01', NULL, 'Zeta', NULL, 5000.00, 'COP', 'cash', 'Office', NULL, 'void', NULL, NULL),
              (gen_random_uuid(), $1, $1, $1, 'A-1', '2023-11-01', NULL, 'Old Supplier', '800098765-1', 77.00, 'COP', 'check', 'Rent', NULL, 'pending', NULL, now()),
              (gen_random_uuid(), $1, $1, $1, 'E-9', '2024-05-05', '2024-06-05', 'Émile & Cía', NULL, 9999999999999.99, 'EUR', 'other', 'Legal', 'big', 'pending', NULL, NULL)
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }
        return [.. ids];
    }
}

/// <summary>One fuzzing caller: its id, its invoices (seeded, then any it created), and its clients.</summary>
public sealed class FuzzLane : IDisposable
{
    private readonly List<Guid> _ids;

    internal FuzzLane(string caller, Guid[] ids, Uri invoices, Uri stats)
    {
        Caller = caller;
        _ids = [.. ids];
        // Header values go out as UTF-8 bytes, so non-ASCII reaches the server as a real client could send it.
        var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        Client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        InvoicesBase = invoices;
        StatsBase = stats;
    }

    public string Caller { get; }

    public HttpClient Client { get; }

    public Uri InvoicesBase { get; }

    public Uri StatsBase { get; }

    public Guid Own(int index) => _ids[index % _ids.Count];

    public void Remember(Guid id)
    {
        // Created invoices join the lane's pool, so later requests edit them too; capped to keep the seeded ones in play.
        if (_ids.Count < 24)
        {
            _ids.Add(id);
        }
    }

    public void Dispose() => Client.Dispose();
}
