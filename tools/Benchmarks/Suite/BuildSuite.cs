using System.Globalization;
using InvoiceApi.Tools.Benchmarks.Measurements;
using InvoiceApi.Tools.Benchmarks.Processes;
using InvoiceApi.Tools.Benchmarks.Publishing;
using InvoiceApi.Tools.Benchmarks.Report;

namespace InvoiceApi.Tools.Benchmarks.Suite;

/// <summary>
/// Every load and latency figure of one build: both functions started once (Invoices and Stats, each its own process
/// on the server core), then point reads, lists, dashboard and trend, writes, import, export, and the mixed load.
/// </summary>
internal sealed class BuildSuite(BenchmarkContext context, Build build)
{
    private static readonly string[] StatsPaths = ["/dashboard", "/trend", "/trend?by=category", "/providers"];

    private readonly BenchmarkOptions _options = context.Options;

    internal async Task<double?> RunAsync(PublishedFunction invoices, PublishedFunction stats, CancellationToken cancellationToken)
    {
        await using var invoicesServer = await StartAsync(context, invoices, "/healthz", cancellationToken);
        await using var statsServer = await StartAsync(context, stats, "/healthz", cancellationToken);
        using var heaviest = Tokens.Client(invoicesServer.BaseAddress, context.Tokens.Heaviest);
        using var writer = Tokens.Client(invoicesServer.BaseAddress, context.Tokens.Writer);
        using var dashboards = Tokens.Client(statsServer.BaseAddress, context.Tokens.Heaviest);

        var pointReads = await PointReadsAsync(invoicesServer, cancellationToken);
        await ListsAsync(heaviest, cancellationToken);
        await StatsAsync(dashboards, cancellationToken);
        await WritesAsync(invoicesServer, writer, cancellationToken);
        await ExportAsync(heaviest, invoicesServer, cancellationToken);
        await MixedLoadAsync(invoicesServer, statsServer, cancellationToken);
        return pointReads;
    }

    /// <summary>Starts <paramref name="function"/> as its own process and waits until <paramref name="probe"/> answers 2xx.</summary>
    internal static async Task<ServerProcess> StartAsync(BenchmarkContext context, PublishedFunction function, string probe, CancellationToken cancellationToken)
    {
        var server = ServerProcess.Start(function, context.Settings, ColdStart.FreePort(), context.Pinning);
        using var client = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(server.BaseAddress, probe), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException) when (attempt < 300 && !server.HasExited)
            {
            }
            if (attempt >= 300 || server.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"{function.Function} ({function.Label}) did not start:\n{server.Tail()}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private Task<WrkResult> Wrk(ServerProcess server, string script, int seconds, int connections, CancellationToken cancellationToken) =>
        Measurements.Wrk.RunAsync(server.BaseAddress, script, connections, seconds, context.Pinning, cancellationToken);

    private async Task<double> PointReadsAsync(ServerProcess invoices, CancellationToken cancellationToken)
    {
        Progress.Line($"{build}: GET /{{id}} at c={BenchmarkContext.Concurrency}, {_options.LoadRuns} x {_options.LoadSeconds} s (after a 3 s warm-up)");
        var script = LuaScripts.PointReads(context.Tokens.Heaviest, context.Ids);
        await Wrk(invoices, script, 3, BenchmarkContext.Concurrency, cancellationToken);
        var reads = await LoadSeries.MeasureAsync(context, _options.LoadRuns, () => Wrk(invoices, script, _options.LoadSeconds, BenchmarkContext.Concurrency, cancellationToken),
            cancellationToken, invoices.Pid);
        var table = context.Table;
        table.Set(Rows.PointReads, build, reads.Throughput());
        table.For(Rows.PointReads).Note = reads.SqlNote();
        table.Set(Rows.PointReadLatency, build, reads.Latency());

        Progress.Line($"{build}: function CPU per request without the database, and without the token check");
        var host = await FunctionCpuAsync(invoices, LuaScripts.Fixed(context.Tokens.Heaviest, "/healthz"), cancellationToken);
        var authenticated = await FunctionCpuAsync(invoices, LuaScripts.Fixed(context.Tokens.Heaviest, $"/{context.Ids[0]}?x=1"), cancellationToken);
        table.Set(Rows.FunctionCpu, build, string.Create(CultureInfo.InvariantCulture, $"{host:0.00} · {authenticated:0.00} · {reads.FunctionCpuMs:0.00} ms"));
        return reads.PerSecond.Median;
    }

    private async Task<double> FunctionCpuAsync(ServerProcess server, string script, CancellationToken cancellationToken)
    {
        await Wrk(server, script, 2, BenchmarkContext.Concurrency, cancellationToken);
        var before = CpuTime.SecondsOf(server.Pid);
        var result = await Wrk(server, script, Math.Max(3, _options.LoadSeconds / 2), BenchmarkContext.Concurrency, cancellationToken);
        return (CpuTime.SecondsOf(server.Pid) - before) * 1000 / result.Requests;
    }

    private async Task ListsAsync(HttpClient heaviest, CancellationToken cancellationToken)
    {
        var depth = context.ListDepth;
        Progress.Line($"{build}: walking {depth:N0} list pages");
        await context.Sql.ResetAsync(cancellationToken);
        var walk = await ListWalk.WalkAsync(heaviest, depth, cancellationToken);
        var walkSql = await context.Sql.ReadAsync(cancellationToken);
        var table = context.Table;
        table.Set(Rows.ListWalk(depth), build, string.Create(CultureInfo.InvariantCulture, $"p50 {walk.P50:0.00} ms, p95 {walk.P95:0.00} ms, max {walk.Max:0.0} ms"));
        table.For(Rows.ListWalk(depth)).Note = walkSql.PerRequest(depth, "page");

        Progress.Line($"{build}: first and deep list pages, {_options.LatencyRuns} x {_options.LatencyRequests} requests each");
        await Series(heaviest, "/", Rows.ListFirst, cancellationToken);
        await Series(heaviest, walk.DeepPath, Rows.ListDeep(depth), cancellationToken);
    }

    private async Task StatsAsync(HttpClient dashboards, CancellationToken cancellationToken)
    {
        Progress.Line($"{build}: /dashboard, /trend and /taxes, {_options.LatencyRuns} x {_options.LatencyRequests} requests each");
        await Series(dashboards, "/dashboard", Rows.Dashboard, cancellationToken);
        await Series(dashboards, "/trend", Rows.Trend, cancellationToken);
        await Series(dashboards, $"/taxes?year={context.Today.Year}&period=bimonthly", Rows.Taxes, cancellationToken);
    }

    private async Task Series(HttpClient client, string path, string row, CancellationToken cancellationToken)
    {
        await context.Sql.ResetAsync(cancellationToken);
        var series = await LatencySeries.MeasureAsync(client, path, _options.LatencyRuns, _options.LatencyRequests, cancellationToken);
        var sql = await context.Sql.ReadAsync(cancellationToken);
        context.Table.Set(row, build, series.Format());
        context.Table.For(row).Note = sql.PerRequest(series.Requests);
    }

    private async Task WritesAsync(ServerProcess invoices, HttpClient writer, CancellationToken cancellationToken)
    {
        await CreatesAsync(invoices, Rows.Creates, LuaScripts.Creates(context.Tokens.Writer, context.CreateBody), cancellationToken);
        await CreatesAsync(invoices, Rows.CreatesByMany, LuaScripts.CreatesByMany(context.Tokens.Writers, context.CreateBody), cancellationToken);

        Progress.Line($"{build}: POST /import, {_options.ImportRuns} x {ImportRun.Rows:N0} rows");
        var csv = ImportRun.Csv(context.Today);
        await context.Sql.ResetAsync(cancellationToken);
        var cpu = new CpuProbe(invoices.Pid, context.PostgresDataDirectory);
        var imports = await ImportRun.MeasureAsync(writer, csv, _options.ImportRuns, cancellationToken);
        var cpuNote = cpu.Describe(_options.ImportRuns, "10,000-row import");
        var importSql = await context.Sql.ReadAsync(cancellationToken);
        context.Table.Set(Rows.Import, build, $"{imports.Format("0")} rows/s");
        context.Table.For(Rows.Import).Note = cpuNote + importSql.PerRequest(_options.ImportRuns, "import");
    }

    private async Task CreatesAsync(ServerProcess invoices, string row, string script, CancellationToken cancellationToken)
    {
        Progress.Line($"{build}: {row}, {_options.LoadRuns} x {_options.LoadSeconds} s");
        await Wrk(invoices, script, 2, BenchmarkContext.Concurrency, cancellationToken);
        var creates = await LoadSeries.MeasureAsync(context, _options.LoadRuns, () => Wrk(invoices, script, _options.LoadSeconds, BenchmarkContext.Concurrency, cancellationToken),
            cancellationToken, invoices.Pid);
        context.Table.Set(row, build, $"{creates.Throughput()}; {creates.Latency()}");
        context.Table.For(row).Note = creates.SqlNote();
    }

    private async Task ExportAsync(HttpClient heaviest, ServerProcess invoices, CancellationToken cancellationToken)
    {
        Progress.Line($"{build}: GET /export.csv, {_options.ExportRuns} runs");
        await context.Sql.ResetAsync(cancellationToken);
        var cpu = new CpuProbe(invoices.Pid, context.PostgresDataDirectory);
        var export = await ExportRun.MeasureAsync(heaviest, invoices, _options.ExportRuns, cancellationToken);
        var cpuNote = cpu.Describe(_options.ExportRuns, "export");
        var sql = await context.Sql.ReadAsync(cancellationToken);
        context.Table.Set(Rows.Export, build, $"{export.RowsPerSecond.Format("0")} rows/s ({export.Rows:N0} rows)");
        context.Table.For(Rows.Export).Note = cpuNote + sql.PerRequest(_options.ExportRuns, "export");
        context.Table.Set(Rows.ExportMemory, build, $"{export.PeakMb.Format("0.0")} MB");
    }

    private async Task MixedLoadAsync(ServerProcess invoices, ServerProcess stats, CancellationToken cancellationToken)
    {
        Progress.Line($"{build}: mixed load on both functions for {_options.MixedSeconds} s");
        var invoicesLoad = Wrk(invoices, LuaScripts.InvoicesMix(context.Tokens.Heaviest, context.Tokens.Writer, context.Ids, context.CreateBody), _options.MixedSeconds, 8, cancellationToken);
        var statsLoad = Wrk(stats, LuaScripts.Rotation(context.Tokens.Heaviest, StatsPaths), _options.MixedSeconds, 8, cancellationToken);
        var results = await Task.WhenAll(invoicesLoad, statsLoad);
        var invoicesMemory = invoices.Memory();
        var statsMemory = stats.Memory();
        var table = context.Table;
        var seconds = _options.MixedSeconds;
        table.Set(Rows.MixedMemory("Invoices", seconds), build, Memory(invoicesMemory, results[0]));
        table.Set(Rows.MixedMemory("Stats", seconds), build, Memory(statsMemory, results[1]));
    }

    private static string Memory(MemoryReading memory, WrkResult load) => string.Create(CultureInfo.InvariantCulture,
        $"{memory.RssMb:0.0} MB (peak {memory.PeakMb:0.0}) at {load.PerSecond:0} req/s{(load.Errors > 0 ? $", {load.Errors} failed" : "")}");
}
