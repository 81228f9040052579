using InvoiceApi.Data.Connection;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace InvoiceApi.Functions.Api.Database;

/// <summary>
/// A database that cannot be reached, a connection lost mid-request, a statement over its time limit or a schema that
/// does not match the code is a 503 with Retry-After, not a 500. The client sees no host, user, path or SQL; the log
/// keeps the full exception.
/// </summary>
public sealed class DatabaseProblemMapper(SchemaMismatchAlarm schemaMismatch) : IProblemMapper
{
    /// <summary>How long clients are asked to wait before retrying.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public Problem? TryMap(Exception exception) => exception switch
    {
        DatabaseUnavailableException => Unavailable("The database cannot be reached right now; nothing was changed."),
        DatabaseConnectionLostException { MayHaveCommitted: true } => Unavailable(
            "The connection to the database was lost while a change was being committed, so it may or may not have been saved. "
            + "Retry with the same Idempotency-Key (a saved change is then replayed, not repeated), or read before repeating it."),
        DatabaseConnectionLostException => Unavailable("The connection to the database was lost; nothing was changed."),
        PostgresException { SqlState: PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedFunction } drift
            => schemaMismatch.Raise(drift),
        // A prepared statement whose table changed a column's type under it: the same drift, met by a prepared plan.
        PostgresException { SqlState: PostgresErrorCodes.FeatureNotSupported, MessageText: "cached plan must not change result type" } drift
            => schemaMismatch.Raise(drift),
        PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } => Unavailable(
            "The database did not finish in time (statement time limit); nothing was changed."),
        NpgsqlException { IsTransient: true } => Unavailable("The database failed to answer; a change in this request was not saved."),
        _ => null,
    };

    private static Problem Unavailable(string what) => new(
        StatusCodes.Status503ServiceUnavailable,
        ProblemTypes.ServiceUnavailable,
        "Service unavailable",
        $"{what} Retry in {RetryAfter.TotalSeconds:0} seconds.")
    {
        RetryAfter = RetryAfter,
    };
}
