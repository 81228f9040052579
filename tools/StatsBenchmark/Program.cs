using System.Diagnostics;
using System.Globalization;
using InvoiceApi.Data.Migrations;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Functions.Hosting.Auth;
using InvoiceApi.LocalPostgres;
using InvoiceApi.Tools.StatsBenchmark;
using Npgsql;

// The Stats benchmark (not part of CI): a private PostgreSQL under /tmp, 1,000,000 invoices loaded with binary COPY,
// the Stats function served in-process as a runtime login (row-level security on), latencies over loopback HTTP.
var token = CancellationToken.None;
// STATS_BENCHMARK_DIR keeps the cluster and its data between runs (loaded once); otherwise a throwaway one under /tmp.
var kept = Environment.GetEnvironmentVariable("STATS_BENCHMARK_DIR");
var work = kept ?? Path.Combine("/tmp", "isb-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Console.WriteLine(Machine());
await using var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions
{
    DataDirectory = Path.Combine(work, "data"), SocketRoot = Path.Combine(work, "cloudsql"), InstanceConnectionName = "bench:local:invoices",
}, token);
try
{
    await using var admin = DataSource(cluster, "postgres", cluster.SuperUser, cluster.SuperUserPassword);
    await using var bench = DataSource(cluster, "bench", cluster.SuperUser, cluster.SuperUserPassword);
    await using (var exists = admin.CreateCommand("SELECT count(*) FROM pg_database WHERE datname = 'bench'"))
    {
        if ((long)(await exists.ExecuteScalarAsync(token))! == 0)
        {
            await LoadAsync(admin, bench);
        }
    }
    await using (var version = bench.CreateCommand("SHOW server_version"))
    {
        Console.WriteLine($"PostgreSQL {await version.ExecuteScalarAsync(token)}");
    }
    var today = Today();
    await using (var sizes = bench.CreateCommand("SELECT (SELECT count(*) FROM invoice_rollups), pg_size_pretty(pg_total_relation_size('invoices')), pg_size_pretty(pg_total_relation_size('invoice_rollups'))"))
    await using (var reader = await sizes.ExecuteReaderAsync(token))
    {
        await reader.ReadAsync(token);
        Console.WriteLine($"invoice_rollups: {reader.GetInt64(0):N0} rows, {reader.GetString(2)}; invoices: {reader.GetString(1)}");
    }

    var keyPath = Path.Combine(work, "local-signing-key.pem");
    var key = LocalSigningKey.CreateRsaFile(keyPath);
    var app = FunctionHost.Build(typeof(Stats.Function).Assembly, [], new Dictionary<string, string?>
    {
        ["PORT"] = "0",
        ["INSTANCE_CONNECTION_NAME"] = cluster.InstanceConnectionName,
        ["INSTANCE_UNIX_SOCKET"] = cluster.SocketRoot,
        ["DB_USER"] = "bench_stats",
        ["DB_PASS"] = "bench-pw",
        ["DB_NAME"] = "bench",
        ["AUTH_LOCAL_KEY_FILE"] = keyPath,
        ["Logging:LogLevel:Default"] = "Warning",
    });
    await app.StartAsync(token);
    try
    {
        var heaviest = InvoiceLoader.Caller(0);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key.IssueToken(heaviest, "invoice-api-local", "invoice-api", TimeSpan.FromHours(2)));
        string[] paths = ["/dashboard", "/trend", "/trend?by=category", "/providers"];
        foreach (var path in paths)
        {
            await LatencyRun.MeasureAsync(path, client, path, 2, 50, token);
        }
        Console.WriteLine($"\nCaller {heaviest} ({InvoiceLoader.Heaviest:N0} invoices), default periods (12 months), loopback HTTP round trips:");
        foreach (var concurrency in new[] { 1, 8 })
        {
            foreach (var path in paths)
            {
                Console.WriteLine(await LatencyRun.MeasureAsync(path, client, path, concurrency, concurrency == 1 ? 400 : 100, token));
            }
        }
        await using var runtime = DataSource(cluster, "bench", "bench_stats", "bench-pw");
        var from = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        Console.WriteLine();
        Console.WriteLine(await RawGroupBy.MeasureAsync(runtime, "/dashboard figures", heaviest, RawGroupBy.Dashboard, from, today, 20, token));
        Console.WriteLine(await RawGroupBy.MeasureAsync(runtime, "/trend figures", heaviest, RawGroupBy.Trend, from, today, 20, token));
    }
    finally
    {
        await app.StopAsync(token);
        await app.DisposeAsync();
    }
}
finally
{
    await cluster.StopAsync(token);
    if (kept is null)
    {
        Directory.Delete(work, recursive: true);
    }
}

async Task LoadAsync(NpgsqlDataSource admin, NpgsqlDataSource bench)
{
    await Execute(admin, "CREATE DATABASE bench");
    await new Migrator(bench).MigrateAsync(token);
    await Execute(bench, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_stats') THEN CREATE ROLE bench_stats LOGIN PASSWORD 'bench-pw' IN ROLE invoice_api_runtime; END IF; END $$");
    var load = Stopwatch.StartNew();
    await InvoiceLoader.LoadAsync(bench, Today(), line => Console.WriteLine($"  {load.Elapsed.TotalSeconds,6:0}s {line}"), token);
    Console.WriteLine($"Loaded {InvoiceLoader.Total:N0} invoices for {InvoiceLoader.Callers} callers (heaviest {InvoiceLoader.Heaviest:N0}) with binary COPY and the rollup triggers in {load.Elapsed.TotalSeconds:0} s");
    await Execute(bench, "VACUUM ANALYZE");
}

static DateOnly Today() =>
    DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/Bogota")).DateTime);

static NpgsqlDataSource DataSource(PostgresCluster cluster, string database, string user, string password) =>
    NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
    {
        Host = cluster.SocketDirectory, Port = 5432, Database = database, Username = user, Password = password, SslMode = SslMode.Disable,
        CommandTimeout = 0,
    }.ConnectionString);

static async Task Execute(NpgsqlDataSource dataSource, string sql)
{
    await using var command = dataSource.CreateCommand(sql);
    await command.ExecuteNonQueryAsync();
}

static string Machine()
{
    var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "unknown CPU";
    var memory = File.ReadLines("/proc/meminfo").First().Split(':')[1].Trim();
    return $"Machine: {Environment.ProcessorCount} cores, {cpu}, {memory} RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}
