using System.Globalization;

namespace InvoiceApi.Tools.Benchmarks.Processes;

/// <summary>The cluster's postmaster and the processes it forked (checkpointer, backends ...), from /proc.</summary>
internal static class ProcessTree
{
    internal static int Postmaster(string dataDirectory) =>
        int.Parse(File.ReadLines(Path.Join(dataDirectory, "postmaster.pid")).First().Trim(), CultureInfo.InvariantCulture);

    internal static IEnumerable<int> ChildrenOf(int parent)
    {
        var parentText = parent.ToString(CultureInfo.InvariantCulture);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && CpuTime.FieldsAfterName(pid) is { Length: > 1 } fields && fields[1] == parentText)
            {
                yield return pid;
            }
        }
    }
}
