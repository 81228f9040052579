using System.Globalization;
using InvoiceApi.Functions.Api.Auth;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// The table printed once everything is ready: each function's URL, the dashboard page's, a 12-hour token for each
/// demo member (with its role and account), and where the database and its data are.
/// </summary>
internal static class StartupSummary
{
    /// <summary>What the table shows; the tokens are issued by the caller of <see cref="Render"/>.</summary>
    internal sealed record Content(
        IReadOnlyList<LocalFunction> Functions,
        Uri? DashboardUrl,
        IReadOnlyList<(LocalMember Member, string Token)> Tokens,
        DateTimeOffset TokensExpire,
        string SocketDirectory,
        int TcpPort,
        DatabaseLogin Login,
        string DataDirectory,
        string? StateFolderFlag);

    internal static string Render(Content content)
    {
        List<string> lines = ["Invoice API running locally (Ctrl+C stops everything)"];
        lines.AddRange(content.Functions.Select(function => Row(function.ServiceName, $"{Address(function)}   (API docs: {Docs(function, content.DashboardUrl)})")));
        if (content.DashboardUrl is { } dashboard && content.Tokens.Count > 0)
        {
            // The page reads the tokens from the fragment, which the browser never sends to a server; the first is the one
            // it starts with, the others are there to switch to.
            lines.Add(Row("dashboard", $"{dashboard}#{string.Join('&', content.Tokens.Select(token => $"token={token.Token}"))}"));
        }
        var expires = content.TokensExpire.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        foreach (var (member, token) in content.Tokens)
        {
            lines.Add(Row("token", $"{member.Id} ({Describe(member)}; valid until {expires} UTC):"));
            lines.Add(Row("", token));
        }
        var dataDir = content.StateFolderFlag is null ? "" : $" --data-dir {content.StateFolderFlag}";
        lines.Add(Row("", $"more: dotnet run --no-build --project tools/Emulator -- token --user ID [--account ID] [--role viewer|editor|owner] [--admin] [--hours N]{dataDir}"));
        lines.Add(Row("database", $"{content.Login.Database} at {content.SocketDirectory} (TCP 127.0.0.1:{content.TcpPort}); functions log in as {content.Login.User}"));
        lines.Add(Row("data", $"{content.DataDirectory}   (--fresh starts over)"));
        return string.Join('\n', lines);
    }

    // "owner of demo-business, ana@demo.local": what the token lets its member do, and where.
    private static string Describe(LocalMember member)
    {
        var role = (member.Role ?? AccountRoles.Default(namedAccount: member.AccountId is not null)).Name();
        var account = member.AccountId ?? "its personal account";
        return member.Email is null ? $"{role} of {account}" : $"{role} of {account}, {member.Email}";
    }

    // The rendered docs page when the dashboard runs; the raw OpenAPI document otherwise.
    private static string Docs(LocalFunction function, Uri? dashboard) =>
        dashboard is null ? $"{Address(function)}/openapi.json" : $"{dashboard}docs.html?fn={function.ServiceName}";

    private static string Address(LocalFunction function) => function.BaseAddress.ToString().TrimEnd('/');

    private static string Row(string label, string value) => $"  {label,-10} {value}";
}
