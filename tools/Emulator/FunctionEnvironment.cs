using System.Globalization;
using InvoiceApi.LocalPostgres;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// The variables Cloud Run gives a service (PORT, K_SERVICE, K_REVISION, K_CONFIGURATION) plus the Cloud SQL ones
/// (INSTANCE_CONNECTION_NAME, INSTANCE_UNIX_SOCKET, DB_USER, DB_PASS, DB_NAME), the local signing key's AUTH_LOCAL_*
/// variables, and nothing inherited that could override them.
/// </summary>
internal static class FunctionEnvironment
{
    private static readonly string[] InheritedNames =
        ["PORT", "DATABASE_URL", "INSTANCE_HOST", "INSTANCE_CONNECTION_NAME", "INSTANCE_UNIX_SOCKET", "GOOGLE_CLOUD_PROJECT", "FUNCTION_TARGET", "ALLOWED_ORIGINS", "CORS_ALLOW_CREDENTIALS"];

    // AUTH_: a Firebase project or Google audience set in the developer's shell would otherwise be accepted locally too.
    private static readonly string[] InheritedPrefixes = ["DB_", "K_", "AUTH_"];

    internal static IReadOnlyDictionary<string, string> For(
        LocalFunction function, PostgresCluster cluster, DatabaseLogin login, LocalAuthority authority, string allowedOrigins = "")
    {
        var variables = new Dictionary<string, string>
        {
            ["PORT"] = function.Port.ToString(CultureInfo.InvariantCulture),
            ["K_SERVICE"] = function.ServiceName,
            ["K_REVISION"] = $"{function.ServiceName}-local",
            ["K_CONFIGURATION"] = function.ServiceName,
            // Cloud Run's K_SERVICE would make the host listen on every interface; this machine's network need not see it.
            ["LISTEN_ADDRESS"] = "loopback",
            ["GOOGLE_CLOUD_PROJECT"] = "local",
            ["INSTANCE_CONNECTION_NAME"] = cluster.InstanceConnectionName,
            ["INSTANCE_UNIX_SOCKET"] = cluster.SocketRoot,
            ["DB_USER"] = login.User,
            ["DB_PASS"] = login.Password,
            ["DB_NAME"] = login.Database,
            // The dashboard page is served from its own origin and calls the functions over CORS.
            ["ALLOWED_ORIGINS"] = allowedOrigins,
        };
        foreach (var (name, value) in authority.Variables())
        {
            variables[name] = value;
        }
        return variables;
    }

    /// <summary>Removes what the emulator's own environment would leak in, then sets <paramref name="variables"/>.</summary>
    internal static void ApplyTo(IDictionary<string, string?> processEnvironment, IReadOnlyDictionary<string, string> variables)
    {
        foreach (var name in processEnvironment.Keys.Where(IsInherited).ToList())
        {
            processEnvironment.Remove(name);
        }
        foreach (var (name, value) in variables)
        {
            processEnvironment[name] = value;
        }
    }

    private static bool IsInherited(string name) =>
        InheritedNames.Contains(name, StringComparer.Ordinal) || InheritedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
}
