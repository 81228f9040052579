using System.CommandLine;
using InvoiceApi.Tools.CommandLine;

namespace InvoiceApi.Tools.Benchmarks;

/// <summary>The benchmark's command line: the full run by default, shorter development runs by option.</summary>
internal sealed class BenchmarkCommand : RootCommand
{
    private static readonly BenchmarkOptions Full = new();

    private readonly Option<bool> _quick = ToolCommandLine.Flag("--quick",
        "100,000 invoices, 5 cold starts, 3 s load runs, 10 s mixed load (development); the options below still apply.");

    private readonly Option<int?> _coldStarts = Count("--cold-starts", $"Cold starts per build and function (default {Full.ColdStarts}).");
    private readonly Option<int?> _loadSeconds = Count("--load-seconds", $"Length of each wrk/pgbench run in seconds (default {Full.LoadSeconds}).");
    private readonly Option<int?> _loadRuns = Count("--load-runs", $"How many wrk/pgbench runs (default {Full.LoadRuns}).");
    private readonly Option<int?> _rounds = Count("--rounds",
        $"Alternating rounds of the point read: this API, the baseline, pgbench, the seeds' stack, then again (default {Full.Rounds}).");

    private readonly Option<string?> _baseline = ToolCommandLine.Value<string?>("--baseline", "DIR",
        "A checkout of an earlier revision (git worktree add DIR REV) whose Invoices, published as Native AOT, joins the alternating rounds.",
        text => Directory.Exists(Path.Join(text, "functions", "Invoices")) ? Path.GetFullPath(text) : null,
        text => text is null ? "--baseline needs a directory" : $"--baseline '{text}' is not a checkout of this repository (no functions/Invoices in it)");

    private readonly Option<int?> _mixedSeconds = Count("--mixed-seconds", $"Seconds of mixed load before the memory reading (default {Full.MixedSeconds}).");

    private readonly Option<Build[]?> _builds = ToolCommandLine.Value<Build[]?>("--builds", "jit,aot",
        "Which builds to measure: jit, aot or jit,aot (default both).",
        ParseBuilds, text => text is null ? "--builds needs a value" : $"--builds takes jit, aot or jit,aot, not '{text}'");

    private readonly Option<bool> _noPin = ToolCommandLine.Flag("--no-pin", "Do not pin the load generators and the server side to separate cores.");
    private readonly Option<bool> _noPublish = ToolCommandLine.Flag("--no-publish", "Reuse the binaries the last run published in the work directory.");

    /// <summary>The command line that runs <paramref name="run"/> with the options given.</summary>
    internal BenchmarkCommand(Func<BenchmarkOptions, Task<int>> run)
        : base("""
            Publishes both functions (JIT and Native AOT), loads the invoice data set into a private PostgreSQL, runs the
            published binaries as the runtime login and prints one table (docs/benchmarks.md). Not part of CI.
            BENCHMARK_DIR=<dir> keeps the cluster and its loaded data between runs.
            """)
    {
        HelpName = "dotnet run --project tools/Benchmarks -c Release --";
        Options.Add(_quick);
        Options.Add(_coldStarts);
        Options.Add(_loadSeconds);
        Options.Add(_loadRuns);
        Options.Add(_mixedSeconds);
        Options.Add(_rounds);
        Options.Add(_baseline);
        Options.Add(_builds);
        Options.Add(_noPin);
        Options.Add(_noPublish);
        SetAction((parseResult, _) => run(Read(parseResult)));
    }

    // The run's options: the full run or --quick, then whatever the other options change.
    private BenchmarkOptions Read(ParseResult result)
    {
        var preset = result.GetValue(_quick) ? BenchmarkOptions.Quick : Full;
        return preset with
        {
            ColdStarts = result.GetValue(_coldStarts) ?? preset.ColdStarts,
            LoadSeconds = result.GetValue(_loadSeconds) ?? preset.LoadSeconds,
            LoadRuns = result.GetValue(_loadRuns) ?? preset.LoadRuns,
            MixedSeconds = result.GetValue(_mixedSeconds) ?? preset.MixedSeconds,
            Rounds = result.GetValue(_rounds) ?? preset.Rounds,
            Baseline = result.GetValue(_baseline),
            Builds = result.GetValue(_builds) ?? preset.Builds,
            Pin = !result.GetValue(_noPin),
            Publish = !result.GetValue(_noPublish),
        };
    }

    private static Option<int?> Count(string name, string description) =>
        ToolCommandLine.Value<int?>(name, "N", description, text => ToolCommandLine.WholeNumber(text, 1, int.MaxValue),
            text => text is null ? $"{name} needs a value" : $"{name} needs a positive whole number");

    // "jit", "aot" or both, comma-separated, any case; null for anything else.
    private static Build[]? ParseBuilds(string text)
    {
        var builds = text.Split(',').Select(part => part.Trim().ToUpperInvariant() switch
        {
            "JIT" => Build.Jit,
            "AOT" => Build.Aot,
            _ => (Build?)null,
        }).ToList();
        return builds.Contains(null) ? null : builds.Select(build => build!.Value).Distinct().ToArray();
    }
}
