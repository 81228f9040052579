using System.Globalization;

namespace InvoiceApi.Data.Connection;

/// <summary>
/// Pool and session limits. Defaults suit Cloud Run: max instances x <see cref="MaxPoolSize"/> summed over services
/// must stay under Cloud SQL's max_connections (25 on the smallest tier).
/// </summary>
/// <param name="MaxPoolSize">Most connections one process holds (<c>DB_POOL_MAX</c>, default 10).</param>
/// <param name="OpenTimeout">Longest wait for a connection, pool wait and retries included (<c>DB_OPEN_TIMEOUT_SECONDS</c>, default 4).</param>
/// <param name="StatementTimeout">Server-side limit on one statement; zero means none (<c>DB_STATEMENT_TIMEOUT_MS</c>, default 15000).</param>
/// <param name="IdleInTransactionTimeout">Server kills a session idle inside a transaction this long (<c>DB_IDLE_IN_TRANSACTION_TIMEOUT_MS</c>, default 10000).</param>
/// <param name="ApplicationName">Shown in pg_stat_activity.</param>
public sealed record DatabasePoolOptions(
    int MaxPoolSize,
    TimeSpan OpenTimeout,
    TimeSpan StatementTimeout,
    TimeSpan IdleInTransactionTimeout,
    string ApplicationName)
{
    /// <summary>
    /// Requests Cloud Run may send one instance at once (<c>CLOUD_RUN_CONCURRENCY</c>, set by the deploy to the service's
    /// <c>--concurrency</c>; Cloud Run itself does not tell the process). Null when unknown.
    /// </summary>
    public int? RequestConcurrency { get; init; }

    /// <summary>How often an IAM login fetches its token; null for <see cref="DataSourceFactory.AccessTokenRefresh"/> (tests shorten it).</summary>
    public TimeSpan? AccessTokenRefresh { get; init; }

    /// <summary>Reads the options from <paramref name="variable"/>, with defaults for whatever is unset.</summary>
    public static DatabasePoolOptions Read(Func<string, string?> variable, string applicationName)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return new DatabasePoolOptions(
            MaxPoolSize: ReadInt(variable, "DB_POOL_MAX", 10, min: 1, max: 100),
            OpenTimeout: TimeSpan.FromSeconds(ReadInt(variable, "DB_OPEN_TIMEOUT_SECONDS", 4, min: 1, max: 120)),
            StatementTimeout: TimeSpan.FromMilliseconds(ReadInt(variable, "DB_STATEMENT_TIMEOUT_MS", 15_000, min: 0, max: int.MaxValue)),
            IdleInTransactionTimeout: TimeSpan.FromMilliseconds(ReadInt(variable, "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 10_000, min: 100, max: int.MaxValue)),
            ApplicationName: applicationName)
        {
            RequestConcurrency = string.IsNullOrWhiteSpace(variable("CLOUD_RUN_CONCURRENCY"))
                ? null
                : ReadInt(variable, "CLOUD_RUN_CONCURRENCY", 0, min: 1, max: 1000),
        };
    }

    private static int ReadInt(Func<string, string?> variable, string name, int fallback, int min, int max)
    {
        var text = variable(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new DatabaseConfigurationException($"{name} must be a whole number from {min} to {max}, got '{text}'.");
        }
        return value;
    }
}
