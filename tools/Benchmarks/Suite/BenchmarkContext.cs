using InvoiceApi.Tools.Benchmarks.Measurements;
using InvoiceApi.Tools.Benchmarks.Processes;
using InvoiceApi.Tools.Benchmarks.Report;

namespace InvoiceApi.Tools.Benchmarks.Suite;

/// <summary>Everything the measurements share: options, pinning, the functions' settings, tokens, ids, SQL statistics and the table.</summary>
internal sealed record BenchmarkContext(
    BenchmarkOptions Options,
    CpuPinning Pinning,
    FunctionSettings Settings,
    Tokens Tokens,
    IReadOnlyList<Guid> Ids,
    SqlStatistics Sql,
    ResultTable Table,
    DateOnly Today,
    string PostgresDataDirectory)
{
    internal const int Concurrency = 16;

    /// <summary>How many pages deep the deep list page is: 5,000, or as deep as the quick set's heaviest caller goes (2% are archived, not listed).</summary>
    internal int ListDepth => Math.Min(5_000, Options.Set.Heaviest / 25);

    /// <summary>The body of every POST / (an invoice the validator accepts).</summary>
    internal string CreateBody => $$"""{"date":"{{Today.AddDays(-3):yyyy-MM-dd}}","due_date":"{{Today.AddDays(27):yyyy-MM-dd}}","provider":"Supplier 042","nit":"900123456-8","amount":"1250000.50","currency":"COP","payment_method":"transfer","category":"Software","status":"pending"}""";
}
