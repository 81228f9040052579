namespace InvoiceApi.Tools.BenchmarkData;

/// <summary>
/// One size of the benchmark data: <see cref="Total"/> invoices over 100 callers, the first (the heaviest) holding a
/// fifth of them, each in a database of its own so both sizes can live in one kept cluster.
/// </summary>
public sealed record DataSet(string Database, int Total)
{
    /// <summary>The callers the invoices are spread over.</summary>
    public const int Callers = 100;

    /// <summary>The full set: 1,000,000 invoices, the heaviest caller with 200,000 (the Stats benchmark's set).</summary>
    public static DataSet Full { get; } = new("bench", 1_000_000);

    /// <summary>For development runs: 100,000 invoices, the heaviest caller with 20,000.</summary>
    public static DataSet Quick { get; } = new("bench_quick", 100_000);

    /// <summary>The heaviest caller's invoices.</summary>
    public int Heaviest => Total / 5;

    /// <summary>The token subject of caller <paramref name="index"/> (0 is the heaviest).</summary>
    public static string Caller(int index) => $"bench-{index:D3}";

    /// <summary>The invoices of caller <paramref name="index"/>: the heaviest's fifth, the rest spread evenly.</summary>
    public int CountOf(int index)
    {
        var rest = (Total - Heaviest) / (Callers - 1);
        return index == 0 ? Heaviest : rest + (index <= (Total - Heaviest) % (Callers - 1) ? 1 : 0);
    }
}
