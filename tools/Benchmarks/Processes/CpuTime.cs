using System.Globalization;

namespace InvoiceApi.Tools.Benchmarks.Processes;

/// <summary>
/// CPU seconds (user + system) a process has used, from /proc/&lt;pid&gt;/stat: what a request costs the function and
/// PostgreSQL whatever else the shared machine is doing, unlike throughput.
/// </summary>
internal static class CpuTime
{
    // USER_HZ: Linux reports these times in 1/100 s on every mainstream architecture.
    private const double TicksPerSecond = 100;

    internal static double SecondsOf(int pid, bool withWaitedChildren = false)
    {
        var fields = FieldsAfterName(pid);
        if (fields is null)
        {
            return 0;
        }
        // After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
        var ticks = Ticks(fields[11]) + Ticks(fields[12]) + (withWaitedChildren ? Ticks(fields[13]) + Ticks(fields[14]) : 0);
        return ticks / TicksPerSecond;
    }

    /// <summary>Every PostgreSQL process of the cluster, and the backends that have exited since it started.</summary>
    internal static double PostgresSeconds(string dataDirectory)
    {
        var postmaster = ProcessTree.Postmaster(dataDirectory);
        return SecondsOf(postmaster, withWaitedChildren: true) + ProcessTree.ChildrenOf(postmaster).Sum(child => SecondsOf(child));
    }

    internal static string[]? FieldsAfterName(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double Ticks(string field) => double.Parse(field, CultureInfo.InvariantCulture);
}
