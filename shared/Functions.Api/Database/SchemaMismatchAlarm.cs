using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InvoiceApi.Functions.Api.Database;

/// <summary>
/// A table, column or procedure the code uses is missing from the live database or changed (dropped, renamed, retyped, or a
/// migration not run): every
/// request that needs it answers 503 "run the migrations" until the schema is back, and operators get one critical log
/// line every <see cref="AlarmInterval"/> at most, not one per request (each request's own error line still has the details).
/// </summary>
public sealed partial class SchemaMismatchAlarm(ILogger<SchemaMismatchAlarm> logger)
{
    /// <summary>How long clients are asked to wait: the fix is an operator's, not a moment's.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>The shortest time between two critical lines.</summary>
    public static readonly TimeSpan AlarmInterval = TimeSpan.FromMinutes(5);

    private long _nextAlarmAtMs;

    /// <summary>The client's problem for <paramref name="drift"/>; logs it loudly unless an alarm went out less than <see cref="AlarmInterval"/> ago.</summary>
    public Problem Raise(PostgresException drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var now = Environment.TickCount64;
        var next = Interlocked.Read(ref _nextAlarmAtMs);
        // Only the request that moves the next alarm time forward logs; concurrent ones see the new time.
        if (now >= next && Interlocked.CompareExchange(ref _nextAlarmAtMs, now + (long)AlarmInterval.TotalMilliseconds, next) == next)
        {
            LogMismatch(logger, drift.MessageText, drift.SqlState);
        }
        return new Problem(
            StatusCodes.Status503ServiceUnavailable,
            ProblemTypes.SchemaMismatch,
            "Database schema does not match",
            "The database schema does not match this version of the service (a table, column or procedure it needs is missing or changed); "
            + "nothing was changed. An operator must run the migrations; /readyz lists what is missing.")
        {
            RetryAfter = RetryAfter,
        };
    }

    [LoggerMessage(120, LogLevel.Critical, "SCHEMA DRIFT: {Message} (SQLSTATE {SqlState}). The live database does not match the code; "
        + "requests that need it answer 503 until it does. Run the migrator (migrate, then verify); GET /readyz names every difference.")]
    private static partial void LogMismatch(ILogger logger, string message, string sqlState);
}
