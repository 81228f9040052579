using System.Globalization;

namespace InvoiceApi.Tools.Benchmarks.Processes;

/// <summary>CPU time used by the function and by PostgreSQL between its start and <see cref="Describe"/>.</summary>
internal sealed class CpuProbe(int functionPid, string postgresDataDirectory)
{
    private readonly double _function = CpuTime.SecondsOf(functionPid);
    private readonly double _postgres = CpuTime.PostgresSeconds(postgresDataDirectory);

    /// <summary>"CPU: function 120 ms + PostgreSQL 300 ms per 10,000 rows" for <paramref name="units"/> of <paramref name="unit"/>.</summary>
    internal string Describe(double units, string unit)
    {
        var function = (CpuTime.SecondsOf(functionPid) - _function) * 1000 / units;
        var postgres = (CpuTime.PostgresSeconds(postgresDataDirectory) - _postgres) * 1000 / units;
        return string.Create(CultureInfo.InvariantCulture, $"CPU: function {function:0.##} ms + PostgreSQL {postgres:0.##} ms per {unit}; ");
    }
}
