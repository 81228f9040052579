using System.Globalization;
using InvoiceApi.Tools.BenchmarkData;

namespace InvoiceApi.Tools.Benchmarks;

/// <summary>The command line: the full run by default, shorter development runs by flag.</summary>
internal sealed record BenchmarkOptions
{
    internal DataSet Set { get; init; } = DataSet.Full;
    internal int ColdStarts { get; init; } = 20;
    internal int LoadSeconds { get; init; } = 10;
    internal int LoadRuns { get; init; } = 3;
    internal int LatencyRuns { get; init; } = 5;
    internal int LatencyRequests { get; init; } = 100;
    internal int ImportRuns { get; init; } = 5;
    internal int ExportRuns { get; init; } = 3;
    internal int MixedSeconds { get; init; } = 60;
    internal bool Pin { get; init; } = true;
    internal bool Publish { get; init; } = true;
    internal IReadOnlyList<Build> Builds { get; init; } = [Build.Jit, Build.Aot];

    internal const string Usage = """
        dotnet run --project tools/Benchmarks -c Release [-- options]
          --quick              100,000 invoices, 5 cold starts, 3 s load runs, 10 s mixed load (development)
          --cold-starts N      cold starts per build and function (default 20)
          --load-seconds N     length of each wrk/pgbench run (default 10), --load-runs N how many (default 3)
          --mixed-seconds N    mixed load before the memory reading (default 60)
          --builds jit,aot     which builds to measure (default both)
          --no-pin             do not pin the load generators and the server side to separate cores
          --no-publish         reuse the binaries the last run published in the work directory
        BENCHMARK_DIR=<dir> keeps the cluster and its loaded data between runs.
        """;

    /// <summary>The options, or null with a message for a bad command line.</summary>
    internal static (BenchmarkOptions? Options, string? Error) Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{name} needs a value.");
            int Number() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new FormatException($"{name} needs a positive whole number.");
            try
            {
                options = name switch
                {
                    "--quick" => options with
                    {
                        Set = DataSet.Quick, ColdStarts = 5, LoadSeconds = 3, LoadRuns = 2, LatencyRuns = 3, LatencyRequests = 40,
                        ImportRuns = 2, ExportRuns = 2, MixedSeconds = 10,
                    },
                    "--cold-starts" => options with { ColdStarts = Number() },
                    "--load-seconds" => options with { LoadSeconds = Number() },
                    "--load-runs" => options with { LoadRuns = Number() },
                    "--mixed-seconds" => options with { MixedSeconds = Number() },
                    "--builds" => options with { Builds = ParseBuilds(Next()) },
                    "--no-pin" => options with { Pin = false },
                    "--no-publish" => options with { Publish = false },
                    _ => throw new FormatException($"Unknown option '{name}'."),
                };
            }
            catch (FormatException exception)
            {
                return (null, exception.Message);
            }
        }
        return (options, null);
    }

    private static Build[] ParseBuilds(string value) => value.Split(',').Select(part => part.Trim().ToUpperInvariant() switch
    {
        "JIT" => Build.Jit,
        "AOT" => Build.Aot,
        _ => throw new FormatException($"--builds takes jit, aot or jit,aot, not '{value}'."),
    }).Distinct().ToArray();
}
