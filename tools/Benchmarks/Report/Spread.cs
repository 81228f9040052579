using System.Globalization;

namespace InvoiceApi.Tools.Benchmarks.Report;

/// <summary>The median of several runs and their range.</summary>
internal sealed record Spread(double Median, double Min, double Max, int Runs)
{
    internal static Spread Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No runs to summarise.", nameof(values));
        }
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0], sorted[^1], sorted.Length);
    }

    /// <summary>"12.3 [11.0–15.2]" with <paramref name="format"/> for each number.</summary>
    internal string Format(string format) => Runs == 1
        ? Median.ToString(format, CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Median.ToString(format, CultureInfo.InvariantCulture)} [{Min.ToString(format, CultureInfo.InvariantCulture)}–{Max.ToString(format, CultureInfo.InvariantCulture)}]");
}
