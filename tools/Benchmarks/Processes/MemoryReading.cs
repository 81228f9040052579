using System.Globalization;

namespace InvoiceApi.Tools.Benchmarks.Processes;

/// <summary>A process's resident memory (VmRSS) and its peak since start or the last reset (VmHWM), in MiB.</summary>
internal sealed record MemoryReading(double RssMb, double PeakMb)
{
    internal static MemoryReading Of(int pid)
    {
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) / 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) / 1024;
            }
        }
        return new MemoryReading(rss, peak);
    }

    /// <summary>Sets VmHWM back to the current RSS (writing 5 to clear_refs), so a later reading is the peak of what follows.</summary>
    internal static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static double Kilobytes(string line) =>
        double.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
