using System.Globalization;

namespace InvoiceApi.Tools.Benchmarks.Processes;

/// <summary>
/// Which cores the load generators and the server side get. With pinning, the load generators (wrk, pgbench, the
/// benchmark's own HTTP client) run on the first core and the server side (the function and every PostgreSQL process)
/// on the last, so the API and pgbench get the same server core and the client's CPU never competes with it. All of
/// them also run at nice -10: on a machine shared with other work, that work then takes less of their time slices.
/// </summary>
internal sealed record CpuPinning(string? ClientCores, string? ServerCores)
{
    internal static CpuPinning Decide(bool wanted) =>
        wanted && Environment.ProcessorCount >= 2 && Command.IsOnPath("taskset")
            ? new CpuPinning("0", (Environment.ProcessorCount - 1).ToString(CultureInfo.InvariantCulture))
            : new CpuPinning(null, null);

    internal bool Enabled => ClientCores is not null;

    private const string Niceness = "-10";

    internal string Description => Enabled
        ? $"taskset: wrk, pgbench and the benchmark's HTTP client on core {ClientCores}; the function and all PostgreSQL processes on core {ServerCores}; all of them at nice {Niceness}"
        : "no pinning, normal priority (--no-pin, a single core, or no taskset)";

    /// <summary>The command and arguments that run <paramref name="file"/> on <paramref name="cores"/> at nice -10 (taskset and nice exec it: the pid stays).</summary>
    internal static (string File, List<string> Arguments) On(string? cores, string file, IEnumerable<string> arguments) =>
        cores is null ? (file, arguments.ToList()) : ("taskset", ["-c", cores, "nice", "-n", Niceness, file, .. arguments]);

    /// <summary>Moves the running postmaster and its children to the server core; backends forked later inherit it.</summary>
    internal async Task PinPostgresAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        if (ServerCores is null)
        {
            return;
        }
        var postmaster = ProcessTree.Postmaster(dataDirectory);
        foreach (var pid in ProcessTree.ChildrenOf(postmaster).Prepend(postmaster))
        {
            await Command.RunAsync("taskset", ["-a", "-p", "-c", ServerCores, pid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            await Command.RunAsync("renice", ["-n", Niceness, "-p", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        }
    }

    /// <summary>Pins this process (the benchmark's own HTTP client) to the client core.</summary>
    internal async Task PinSelfAsync(CancellationToken cancellationToken)
    {
        if (ClientCores is null)
        {
            return;
        }
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        await Command.RunAsync("taskset", ["-a", "-p", "-c", ClientCores, self], cancellationToken);
        // renice -p takes one thread; every thread of this process is in /proc/self/task.
        foreach (var thread in Directory.EnumerateDirectories($"/proc/{self}/task").Select(Path.GetFileName))
        {
            await Command.RunAsync("renice", ["-n", Niceness, "-p", thread!], cancellationToken);
        }
    }
}
