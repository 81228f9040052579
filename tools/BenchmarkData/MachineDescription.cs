using System.Runtime.InteropServices;

namespace InvoiceApi.Tools.BenchmarkData;

/// <summary>What the figures were measured on: CPU, cores, memory, OS, .NET, and the load average (a shared machine).</summary>
public static class MachineDescription
{
    /// <summary>The CPU's model name from /proc/cpuinfo.</summary>
    public static string Cpu() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "unknown CPU";

    /// <summary>Total memory from /proc/meminfo, as written there (kB).</summary>
    public static string Memory() => File.ReadLines("/proc/meminfo").First().Split(':')[1].Trim();

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>One line: cores, CPU, memory, OS and .NET.</summary>
    public static string Summary() =>
        $"{Environment.ProcessorCount} cores, {Cpu()}, {Memory()} RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}
