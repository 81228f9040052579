using InvoiceApi.LocalPostgres;

namespace InvoiceApi.Tools.Emulator;

/// <summary>The table printed once everything is ready: where each function and the database answer, and where the data lives.</summary>
internal static class StartupSummary
{
    internal static string Render(IReadOnlyList<LocalFunction> functions, PostgresCluster cluster, DatabaseLogin login, DataLocation location)
    {
        List<string> lines = ["Invoice API running locally (Ctrl+C stops everything)"];
        lines.AddRange(functions.Select((function, index) =>
            Row(function.ServiceName, $"{function.BaseAddress.ToString().TrimEnd('/')}{(index == 0 ? "   (health /healthz, readiness /readyz)" : "")}")));
        lines.Add(Row("database", $"socket {cluster.SocketDirectory} (also TCP 127.0.0.1:{cluster.Port}), database {login.Database}, user {login.User}"));
        lines.Add(Row("data", $"{location.DataDirectory}   (--fresh starts over)"));
        return string.Join('\n', lines);
    }

    private static string Row(string label, string value) => $"  {label,-9} {value}";
}
