using System.CommandLine;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Tools.BenchmarkData;
using InvoiceApi.Tools.CommandLine;
using InvoiceApi.Tools.StatsBenchmark;

// The Stats benchmark (not part of CI): a private PostgreSQL under /tmp, 1,000,000 invoices loaded with binary COPY,
// the Stats function served in-process as a runtime login (row-level security on), latencies over loopback HTTP.
// No options: --help describes it, anything else is refused in one line with exit code 2.
var command = new RootCommand("""
    Loads 1,000,000 invoices into a private PostgreSQL and measures the Stats endpoints (/dashboard, /trend, /providers, /taxes)
    served in-process as the runtime login: with the figures cache off, on, and while the caller writes. Not part of CI.
    STATS_BENCHMARK_DIR=<dir> keeps the cluster and its loaded data between runs (otherwise a throwaway one under /tmp).
    """)
{
    HelpName = "dotnet run --project tools/StatsBenchmark -c Release --",
};
command.SetAction((_, _) => RunAsync());
return await ToolCommandLine.InvokeAsync(command, args, usageExitCode: 2);

static async Task<int> RunAsync()
{
    var token = CancellationToken.None;
    // STATS_BENCHMARK_DIR keeps the cluster and its data between runs (loaded once); otherwise a throwaway one under /tmp.
    Console.WriteLine($"Machine: {MachineDescription.Summary()}");
    await using var bench = await BenchmarkCluster.StartAsync("STATS_BENCHMARK_DIR", "isb", token);
    var database = await BenchmarkDatabase.EnsureAsync(bench, DataSet.Full, line => Console.WriteLine($"  {line}"), token);
    var cluster = bench.Cluster;
    await using var data = bench.AdminDataSource(database.Name);
    await using (var version = data.CreateCommand("SHOW server_version"))
    {
        Console.WriteLine($"PostgreSQL {await version.ExecuteScalarAsync(token)}");
    }
    var today = BenchmarkDatabase.Today();
    await using (var sizes = data.CreateCommand("""
        SELECT (SELECT count(*) FROM invoice_rollups), pg_size_pretty(pg_total_relation_size('invoices')), pg_size_pretty(pg_total_relation_size('invoice_rollups')),
               (SELECT count(*) FROM invoice_tax_rollups), pg_size_pretty(pg_total_relation_size('invoice_tax_rollups')),
               (SELECT count(*) FROM invoices WHERE taxes <> '[]')
        """))
    await using (var reader = await sizes.ExecuteReaderAsync(token))
    {
        await reader.ReadAsync(token);
        Console.WriteLine($"invoice_rollups: {reader.GetInt64(0):N0} rows, {reader.GetString(2)}; invoices: {reader.GetString(1)}, {reader.GetInt64(5):N0} with taxes; "
            + $"invoice_tax_rollups: {reader.GetInt64(3):N0} rows, {reader.GetString(4)}");
    }

    var keyPath = Path.Combine(bench.WorkDirectory, "local-signing-key.pem");
    var key = LocalSigningKey.CreateRsaFile(keyPath);
    var heaviest = DataSet.Caller(0);
    var caller = key.IssueToken(heaviest, "invoice-api-local", "invoice-api", TimeSpan.FromHours(2));
    string[] paths = ["/dashboard", "/trend", "/trend?by=category", "/providers", $"/taxes?year={today.Year}&period=bimonthly",
        $"/taxes?year={today.Year - 1}&period=four-monthly"];
    Console.WriteLine($"\nCaller {heaviest} ({database.Set.Heaviest:N0} invoices), default periods (12 months); server = the function's Server-Timing,");
    Console.WriteLine("round trip = the in-process client's loopback HTTP request (the client shares the 2 cores).");
    await MeasureAsync("Computed on every request (STATS_FIGURES_CACHE_ENTRIES=0):", "0");
    await MeasureAsync("Repeated requests with no write in between (the default: figures kept while the caller's change number holds):", null);
    await using (var writer = new CallerWriter(bench.DataSource(database.Name, BenchmarkDatabase.RuntimeUser, BenchmarkDatabase.RuntimePassword),
        bench.AdminDataSource(database.Name), heaviest,
        TimeSpan.FromMilliseconds(100), today))
    {
        await MeasureAsync("The default while the same caller writes 10 invoices a second (each write: the next requests compute again):", null);
        Console.WriteLine($"  ({writer.Written} invoices written meanwhile, removed again)");
    }

    await using (var runtime = bench.DataSource(database.Name, BenchmarkDatabase.RuntimeUser, BenchmarkDatabase.RuntimePassword))
    {
        var from = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        Console.WriteLine();
        Console.WriteLine(await RawGroupBy.MeasureAsync(runtime, "/dashboard figures", heaviest, RawGroupBy.Dashboard, from, today, 20, token));
        Console.WriteLine(await RawGroupBy.MeasureAsync(runtime, "/trend figures", heaviest, RawGroupBy.Trend, from, today, 20, token));
        Console.WriteLine(await RawGroupBy.MeasureAsync(runtime, "/taxes figures (this year)", heaviest, RawGroupBy.Taxes,
            new DateOnly(today.Year, 1, 1), new DateOnly(today.Year, 12, 31), 20, token));
    }

    return 0;

    // One in-process Stats function as the runtime login, with the figures cache of the given size (null: its default).
    async Task MeasureAsync(string title, string? cacheEntries)
    {
        var app = FunctionHost.Build(typeof(Stats.Function).Assembly, [], new Dictionary<string, string?>
        {
            ["PORT"] = "0",
            ["INSTANCE_CONNECTION_NAME"] = cluster.InstanceConnectionName,
            ["INSTANCE_UNIX_SOCKET"] = cluster.SocketRoot,
            ["DB_USER"] = BenchmarkDatabase.RuntimeUser,
            ["DB_PASS"] = BenchmarkDatabase.RuntimePassword,
            ["DB_NAME"] = database.Name,
            ["AUTH_LOCAL_KEY_FILE"] = keyPath,
            ["STATS_FIGURES_CACHE_ENTRIES"] = cacheEntries,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.StartAsync(token);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
            client.DefaultRequestHeaders.Authorization = new("Bearer", caller);
            foreach (var path in paths)
            {
                await LatencyRun.MeasureAsync(path, client, path, 2, 50, token);
            }
            Console.WriteLine($"\n{title}");
            foreach (var concurrency in new[] { 1, 8 })
            {
                foreach (var path in paths)
                {
                    Console.WriteLine(await LatencyRun.MeasureAsync(path, client, path, concurrency, concurrency == 1 ? 400 : 200, token));
                }
            }
        }
        finally
        {
            await app.StopAsync(token);
            await app.DisposeAsync();
        }
    }
}
