using InvoiceApi.Data.Connection;
using InvoiceApi.Functions.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Data.Readiness;

/// <summary>
/// A database that cannot be reached is a 503 with Retry-After, not a 500. The client sees no host, user or path;
/// the log keeps the full message.
/// </summary>
public sealed class DatabaseProblemMapper : IProblemMapper
{
    /// <summary>How long clients are asked to wait before retrying.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public Problem? TryMap(Exception exception) => exception switch
    {
        DatabaseUnavailableException => Unavailable(),
        Npgsql.NpgsqlException { IsTransient: true } => Unavailable(),
        _ => null,
    };

    private static Problem Unavailable() => new(
        StatusCodes.Status503ServiceUnavailable,
        ProblemTypes.ServiceUnavailable,
        "Service unavailable",
        $"The database cannot be reached right now; nothing was changed. Retry in {RetryAfter.TotalSeconds:0} seconds.")
    {
        RetryAfter = RetryAfter,
    };
}
