using System.Globalization;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Tools.BenchmarkData;
using InvoiceApi.Tools.Benchmarks;
using InvoiceApi.Tools.Benchmarks.Measurements;
using InvoiceApi.Tools.Benchmarks.Processes;
using InvoiceApi.Tools.Benchmarks.Publishing;
using InvoiceApi.Tools.Benchmarks.Report;
using InvoiceApi.Tools.Benchmarks.Suite;
using InvoiceApi.Tools.CommandLine;

// The benchmark (not part of CI, docs/benchmarks.md): publishes both functions (JIT and Native AOT), loads the invoice
// data set into a private PostgreSQL, measures the point read in alternating rounds beside pgbench and the seeds' stack,
// runs every other figure on the published binaries as the runtime login, and prints one table.
// The command line (BenchmarkCommand): --help, or a wrong option in one line and exit code 2.
return await ToolCommandLine.InvokeAsync(new BenchmarkCommand(run: options => RunAsync(options, args)), args, usageExitCode: 2);

static async Task<int> RunAsync(BenchmarkOptions options, string[] args)
{
    var token = CancellationToken.None;
    var repository = RepositoryRoot.Locate();
    var table = new ResultTable();
    var loadAtStart = MachineDescription.LoadAverage();
    if (Wrk.Missing() is { } missing)
    {
        await Console.Error.WriteLineAsync(missing);
        return 3;
    }
    var pinning = CpuPinning.Decide(options.Pin);

    await using var bench = await BenchmarkCluster.StartAsync("BENCHMARK_DIR", "ibm", token);
    Progress.Line($"work directory {bench.WorkDirectory}");
    var published = new List<PublishedFunction>();
    foreach (var build in options.Builds)
    {
        foreach (var function in FunctionPublisher.Functions)
        {
            published.Add(await FunctionPublisher.PublishAsync(repository, Path.Join(bench.WorkDirectory, "publish"), function, build, options.Publish, token));
        }
    }

    PublishedFunction? baseline = null;
    if (options.Baseline is { } baselineCheckout)
    {
        baseline = await FunctionPublisher.PublishAsync(baselineCheckout, Path.Join(bench.WorkDirectory, "publish-baseline"), "Invoices", Build.Aot, options.Publish, token);
    }

    var database = await BenchmarkDatabase.EnsureAsync(bench, options.Set, Progress.Line, token);
    await using var admin = bench.AdminDataSource(database.Name);
    await SqlStatistics.EnableAsync(bench, admin, token);
    var ids = await BenchmarkFixtures.PointReadIdsAsync(admin, token);
    await BenchmarkFixtures.RemoveWritesAsync(admin, token);
    await pinning.PinPostgresAsync(bench.Cluster.DataDirectory, token);
    await pinning.PinSelfAsync(token);
    string postgresVersion;
    await using (var version = admin.CreateCommand("SHOW server_version"))
    {
        postgresVersion = (string)(await version.ExecuteScalarAsync(token))!;
    }

    var key = LocalSigningKey.CreateRsaFile(Path.Join(bench.WorkDirectory, "local-signing-key.pem"));
    var settings = new FunctionSettings(bench.Cluster, database.Name, BenchmarkDatabase.RuntimeUser, BenchmarkDatabase.RuntimePassword,
        Path.Join(bench.WorkDirectory, "local-signing-key.pem"), PoolSize: 16);
    var context = new BenchmarkContext(options, pinning, settings, new Tokens(key), ids, new SqlStatistics(admin), table, BenchmarkDatabase.Today(),
        bench.Cluster.DataDirectory);
    // The ratios first, on the fastest build this run has: the alternating rounds measure this API beside its peers.
    var roundsApi = published.Where(candidate => candidate.Function == "Invoices" && candidate.Usable).OrderByDescending(candidate => candidate.Build == Build.Aot).FirstOrDefault();
    Rows.LayOut(table, options.ColdStarts, context.ListDepth, options.MixedSeconds, roundsApi?.Label ?? "not published");
    if (roundsApi is not null)
    {
        await AlternatingRounds.RunAsync(context, repository, bench, database.Name, roundsApi, baseline is { Usable: true } ? baseline : null, token);
    }

    var broken = await ColdStartSuite.RunAsync(context, published, token);
    var pointReads = new Dictionary<Build, double>();
    foreach (var build in options.Builds)
    {
        var invoices = published.Single(candidate => candidate.Build == build && candidate.Function == "Invoices");
        var stats = published.Single(candidate => candidate.Build == build && candidate.Function == "Stats");
        if (invoices.Usable && stats.Usable && !broken.Contains(build))
        {
            pointReads[build] = await new BuildSuite(context, build).RunAsync(invoices, stats, token) ?? 0;
        }
    }
    var (selectTps, transactionTps) = await PgbenchSuite.RunAsync(context, bench.Cluster.Binaries.PathOf("pgbench"), bench.Cluster.SocketDirectory, database.Name, token);
    foreach (var (build, perSecond) in pointReads)
    {
        table.Set(Rows.RatioSelect, build, (perSecond / selectTps).ToString("0.00", CultureInfo.InvariantCulture));
        table.Set(Rows.RatioTransaction, build, (perSecond / transactionTps).ToString("0.00", CultureInfo.InvariantCulture));
    }
    await BenchmarkFixtures.RemoveWritesAsync(admin, token);

    table.Describe("command", "dotnet run --project tools/Benchmarks -c Release" + (args.Length > 0 ? " -- " + string.Join(' ', args) : ""));
    table.Describe("date", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
    table.Describe("machine", MachineDescription.Summary());
    table.Describe("PostgreSQL", $"{postgresVersion} (private cluster on this machine: fsync off, shared_buffers 128MB, pg_stat_statements loaded)");
    table.Describe("data set", $"{options.Set.Total:N0} invoices, {DataSet.Callers} callers, heaviest ({DataSet.Caller(0)}) {options.Set.Heaviest:N0}; writes go to {BenchmarkFixtures.Writer}, removed after the run");
    table.Describe("functions", $"published binaries as processes, Unix socket as on Cloud Run, runtime login {BenchmarkDatabase.RuntimeUser} (row-level security on), DB_POOL_MAX=16, local RS256 tokens");
    table.Describe("pinning", pinning.Description);
    table.Describe("load average (1/5/15 min)", $"{loadAtStart} at start, {MachineDescription.LoadAverage()} at end");
    table.Describe("figures", "median [min–max] over runs; latencies are per request over loopback HTTP (wrk, or the benchmark's own client at c=1)");
    var rendered = table.Render(options.Builds);
    await File.WriteAllTextAsync(Path.Join(bench.WorkDirectory, "last-table.md"), rendered, token);
    Console.WriteLine(rendered);
    return 0;
}
