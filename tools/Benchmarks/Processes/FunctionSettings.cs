using System.Globalization;
using InvoiceApi.LocalPostgres;

namespace InvoiceApi.Tools.Benchmarks.Processes;

/// <summary>
/// The environment Cloud Run would give a function, pointed at the private cluster's socket (the Cloud SQL path) and
/// logged in as the runtime login (row-level security on), accepting tokens signed with the benchmark's local key.
/// Nothing inherited that could override it.
/// </summary>
internal sealed record FunctionSettings(PostgresCluster Cluster, string Database, string User, string Password, string KeyFile, int PoolSize)
{
    private static readonly string[] InheritedNames = ["PORT", "DATABASE_URL", "INSTANCE_HOST", "INSTANCE_CONNECTION_NAME", "INSTANCE_UNIX_SOCKET", "FUNCTION_TARGET"];
    private static readonly string[] InheritedPrefixes = ["DB_", "K_", "AUTH_", "STATS_", "CURSOR_", "RATE_", "ALLOWED_", "CORS_", "CLOUD_RUN_"];

    internal void ApplyTo(IDictionary<string, string?> environment, int port)
    {
        foreach (var name in environment.Keys.Where(IsInherited).ToList())
        {
            environment.Remove(name);
        }
        environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        environment["INSTANCE_CONNECTION_NAME"] = Cluster.InstanceConnectionName;
        environment["INSTANCE_UNIX_SOCKET"] = Cluster.SocketRoot;
        environment["DB_USER"] = User;
        environment["DB_PASS"] = Password;
        environment["DB_NAME"] = Database;
        environment["DB_POOL_MAX"] = PoolSize.ToString(CultureInfo.InvariantCulture);
        environment["CLOUD_RUN_CONCURRENCY"] = PoolSize.ToString(CultureInfo.InvariantCulture);
        environment["AUTH_LOCAL_KEY_FILE"] = KeyFile;
        // Stats computes every answer here: these rows measure the query behind a request. StatsBenchmark measures the cache.
        environment["STATS_FIGURES_CACHE_ENTRIES"] = "0";
    }

    private static bool IsInherited(string name) =>
        InheritedNames.Contains(name, StringComparer.Ordinal) || InheritedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
}
