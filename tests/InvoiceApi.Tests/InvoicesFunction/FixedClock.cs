namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>A clock that always reads <paramref name="now"/>: "today" for the validator without waiting for midnight.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
