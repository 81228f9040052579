using InvoiceApi.Tools.BenchmarkData;
using InvoiceApi.Tools.Benchmarks.Measurements;
using InvoiceApi.Tools.Benchmarks.Peer;
using InvoiceApi.Tools.Benchmarks.Publishing;
using InvoiceApi.Tools.Benchmarks.Report;

namespace InvoiceApi.Tools.Benchmarks.Suite;

/// <summary>
/// The point read of every contender in alternating rounds (API, baseline API, pgbench, seeds' stack, then again ...),
/// all at c=16 against the same data: a slow minute of this shared machine hits every contender alike, so the ratios
/// of one round hold where absolute figures do not. Each ratio is reported as its median and range over the rounds.
/// </summary>
internal static class AlternatingRounds
{
    private sealed record Contender(string Name, Func<int, Task<WrkResult>> Run);

    internal static async Task RunAsync(BenchmarkContext context, string repositoryRoot, BenchmarkCluster bench, string database,
        PublishedFunction api, PublishedFunction? baseline, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var table = context.Table;
        var concurrency = BenchmarkContext.Concurrency;
        await using var apiServer = await BuildSuite.StartAsync(context, api, "/healthz", cancellationToken);
        await using var baselineServer = baseline is null ? null : await BuildSuite.StartAsync(context, baseline, "/healthz", cancellationToken);
        var peerMissing = await PeerStack.MissingAsync(cancellationToken);
        await using var peer = peerMissing is null
            ? await PeerStack.StartAsync(repositoryRoot, bench.Cluster.SocketDirectory, database, bench.Cluster.SuperUser, bench.Cluster.SuperUserPassword,
                context.Ids[0], context.Pinning, cancellationToken)
            : null;

        var apiScript = LuaScripts.PointReads(context.Tokens.Heaviest, context.Ids);
        var contenders = new List<Contender>
        {
            new(Rows.RoundsApi(api.Label), seconds => Wrk.RunAsync(apiServer.BaseAddress, apiScript, concurrency, seconds, context.Pinning, cancellationToken)),
        };
        if (baselineServer is not null)
        {
            contenders.Add(new(Rows.RoundsBaseline, seconds => Wrk.RunAsync(baselineServer.BaseAddress, apiScript, concurrency, seconds, context.Pinning, cancellationToken)));
        }
        var pgbench = bench.Cluster.Binaries.PathOf("pgbench");
        var select = Pgbench.SelectOnly(BenchmarkFixtures.IdCount);
        contenders.Add(new(Rows.RoundsPgbench, seconds => Pgbench.RunAsync(pgbench, bench.Cluster.SocketDirectory, database, select, DataSet.Caller(0),
            concurrency, seconds, context.Pinning, cancellationToken)));
        if (peer is not null)
        {
            var peerScript = LuaScripts.PeerPointReads(context.Ids);
            contenders.Add(new(Rows.RoundsPeer, seconds => Wrk.RunAsync(peer.BaseAddress, peerScript, concurrency, seconds, context.Pinning, cancellationToken)));
        }
        else
        {
            table.For(Rows.RoundsPeer).Shared = "not run: " + peerMissing;
            Progress.Line("peer stack not run: " + peerMissing);
        }

        Progress.Line($"alternating rounds of {contenders.Count} contenders (in the table's order), {options.Rounds} rounds x {options.LoadSeconds} s each at c={concurrency}");
        foreach (var contender in contenders)
        {
            await contender.Run(3);
        }
        var results = contenders.ToDictionary(contender => contender.Name, _ => new List<WrkResult>());
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var contender in contenders)
            {
                results[contender.Name].Add(await contender.Run(options.LoadSeconds));
            }
            Progress.Line($"  round {round}: " + string.Join(" · ", contenders.Select(c => $"{results[c.Name][^1].PerSecond:0}")));
        }

        foreach (var (name, runs) in results)
        {
            var row = table.For(name);
            var failed = runs.Sum(run => run.Errors);
            row.Shared = $"{Spread.Of(runs.Select(run => run.PerSecond).ToList()).Format("0")} /s; p50 {Spread.Of(runs.Select(run => run.P50).ToList()).Format("0.00")} ms, "
                + $"p99 {Spread.Of(runs.Select(run => run.P99).ToList()).Format("0.00")} ms" + (failed > 0 ? $" ({failed} failed)" : "");
        }
        var apiRuns = results[contenders[0].Name];
        void Ratio(string row, string other)
        {
            if (results.TryGetValue(other, out var otherRuns))
            {
                table.For(row).Shared = Spread.Of(apiRuns.Zip(otherRuns, (a, b) => a.PerSecond / b.PerSecond).ToList()).Format("0.00");
            }
        }
        Ratio(Rows.RoundsRatioPgbench, Rows.RoundsPgbench);
        Ratio(Rows.RoundsRatioPeer, Rows.RoundsPeer);
        Ratio(Rows.RoundsRatioBaseline, Rows.RoundsBaseline);
    }
}
