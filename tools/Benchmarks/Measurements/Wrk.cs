using System.Globalization;
using InvoiceApi.Tools.Benchmarks.Processes;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>Runs wrk (Debian's package) with a generated Lua script on the client core and reads the line its done() prints.</summary>
internal static class Wrk
{
    /// <summary>
    /// Why the benchmark cannot run wrk, or null when it can. The benchmark installs nothing itself: it runs as any
    /// user, and only the machine's owner should install packages.
    /// </summary>
    internal static string? Missing() => Command.IsOnPath("wrk")
        ? null
        : "wrk is not installed: install it (Debian or Ubuntu: sudo apt-get install -y wrk) and run the benchmark again.";

    internal static async Task<WrkResult> RunAsync(Uri baseAddress, string script, int connections, int seconds, CpuPinning pinning,
        CancellationToken cancellationToken)
    {
        var scriptFile = Path.Join(Path.GetTempPath(), $"bench-{Environment.ProcessId}-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(scriptFile, script, cancellationToken);
        try
        {
            var threads = pinning.Enabled ? 1 : 2;
            var (file, arguments) = CpuPinning.On(pinning.ClientCores, "wrk", [
                "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                "-d", $"{seconds}s", "--timeout", "30s", "-s", scriptFile, baseAddress.ToString()]);
            var result = await Command.RunAsync(file, arguments, cancellationToken);
            var line = result.Output.Split('\n').FirstOrDefault(text => text.StartsWith("WRKRESULT ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk printed no result (exit {result.ExitCode}): {result.Output}{result.Error}");
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(field => double.Parse(field, CultureInfo.InvariantCulture)).ToArray();
            return new WrkResult((long)fields[0], (long)fields[1], fields[2] / 1e6, fields[3] / 1000, fields[4] / 1000, fields[5] / 1000);
        }
        finally
        {
            File.Delete(scriptFile);
        }
    }
}
