namespace InvoiceApi.Functions.Hosting.Readiness;

/// <summary>The outcome of one <see cref="IReadinessCheck"/>: ready, or the list of what is wrong, each named.</summary>
public sealed record ReadinessResult(IReadOnlyList<string> Problems)
{
    /// <summary>Nothing wrong.</summary>
    public static ReadinessResult Ready { get; } = new([]);

    /// <summary>True when there is nothing wrong.</summary>
    public bool IsReady => Problems.Count == 0;

    /// <summary>Not ready, for the given reasons.</summary>
    public static ReadinessResult NotReady(params string[] problems) => new(problems);
}
