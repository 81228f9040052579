using InvoiceApi.LocalPostgres;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// The table printed once everything is ready: where each function and the database answer, where the data lives,
/// and how to get a token the functions accept.
/// </summary>
internal static class StartupSummary
{
    internal static string Render(
        IReadOnlyList<LocalFunction> functions, PostgresCluster cluster, DatabaseLogin login, DatabaseLogin owner, DataLocation location, LocalAuthority authority)
    {
        List<string> lines = ["Invoice API running locally (Ctrl+C stops everything)"];
        lines.AddRange(functions.Select((function, index) =>
            Row(function.ServiceName, $"{function.BaseAddress.ToString().TrimEnd('/')}{(index == 0 ? "   (health /healthz, readiness /readyz)" : "")}")));
        lines.Add(Row("database", $"socket {cluster.SocketDirectory} (also TCP 127.0.0.1:{cluster.Port}), database {login.Database}"));
        lines.Add(Row("", $"functions log in as {login.User} (in invoice_api_runtime: row-level security holds it); migrations ran as {owner.User}"));
        lines.Add(Row("data", $"{location.DataDirectory}   (--fresh starts over)"));
        lines.Add(Row("token", "TOKEN=$(dotnet run --project tools/Emulator -- token --user alice)   (--admin, --hours N)"));
        lines.Add(Row("", $"curl -H \"Authorization: Bearer $TOKEN\" {functions[0].BaseAddress.ToString().TrimEnd('/')}/"));
        lines.Add(Row("", $"signed with {authority.KeyPath}"));
        return string.Join('\n', lines);
    }

    private static string Row(string label, string value) => $"  {label,-9} {value}";
}
