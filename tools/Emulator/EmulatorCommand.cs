using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using InvoiceApi.Tools.CommandLine;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// The emulator's command line: a start (<c>--fresh</c>, <c>--seed N</c>, the three ports, <c>--data-dir DIR</c>) or the
/// <c>token</c> subcommand.
/// </summary>
internal sealed class EmulatorCommand : RootCommand
{
    internal const string Run = "dotnet run --project tools/Emulator --";
    internal const int MaxSeed = 100_000;
    private const int DefaultInvoicesPort = 8081;
    private const int DefaultStatsPort = 8082;

    private readonly Option<bool> _fresh = ToolCommandLine.Flag("--fresh", "Delete the local database (data, roles, passwords) and start over.");

    private readonly Option<int?> _seed = ToolCommandLine.Value<int?>("--seed", "N",
        $"Load N demo invoices (1 to {MaxSeed}), only into an empty database: four fifths for the account {LocalCallers.BusinessAccount}, " +
        $"recorded by {LocalCallers.Owner.Id} and {LocalCallers.Editor.Id}, the rest for {LocalCallers.Personal.Id}'s own account.",
        text => ToolCommandLine.WholeNumber(text, 1, MaxSeed), _ => $"--seed needs a number of invoices from 1 to {MaxSeed}");

    private readonly Option<int?> _invoicesPort = Port("--invoices-port", "the Invoices function", DefaultInvoicesPort);
    private readonly Option<int?> _statsPort = Port("--stats-port", "the Stats function", DefaultStatsPort);
    private readonly Option<int?> _dashboardPort = Port("--dashboard-port", "the dashboard page", DashboardSite.DefaultPort);

    private readonly Option<string?> _dataDir = DataDirOption(
        "Keep the database, key and passwords in DIR instead of .local/ (a second emulator, tests).");

    /// <summary>The command line whose start runs <paramref name="start"/> with the options given.</summary>
    internal EmulatorCommand(Func<EmulatorOptions, Task<int>> start)
        : base($"""
            Starts a private PostgreSQL, applies the migrations and runs each function as its own process, as Cloud Run would.
            Ctrl+C or SIGTERM stops everything. The printed table holds a {LocalCallers.TokenHours}-hour token for each demo member (owner, editor and viewer of {LocalCallers.BusinessAccount}, and {LocalCallers.Personal.Id}); the token command prints more.
            Once built, `dotnet run --no-build --project tools/Emulator -- ...` starts without the rebuild.
            POSTGRES_BIN_DIR, when set, names the directory of initdb, pg_ctl and postgres (otherwise PATH, then /usr/lib/postgresql).
            """)
    {
        HelpName = Run;
        Options.Add(_fresh);
        Options.Add(_seed);
        Options.Add(_invoicesPort);
        Options.Add(_statsPort);
        Options.Add(_dashboardPort);
        Options.Add(_dataDir);
        Subcommands.Add(new TokenCommand());
        Validators.Add(EachPortItsOwn);
        SetAction((parseResult, _) => start(Read(parseResult)));
    }

    /// <summary>Parses a start's command line; on failure <paramref name="error"/> is the one line the emulator prints.</summary>
    internal static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out EmulatorOptions? options, out string error)
    {
        var command = new EmulatorCommand(start: _ => Task.FromResult(ExitCodes.Stopped));
        var result = ToolCommandLine.Parse(command, args);
        error = ToolCommandLine.ErrorLine(result) ?? "";
        options = error.Length == 0 ? command.Read(result) : null;
        return options is not null;
    }

    // The start's options, defaults filled in, from a command line that parsed.
    private EmulatorOptions Read(ParseResult result) => new(
        result.GetValue(_fresh),
        result.GetValue(_invoicesPort) ?? DefaultInvoicesPort,
        result.GetValue(_statsPort) ?? DefaultStatsPort,
        result.GetValue(_seed),
        result.GetValue(_dataDir),
        result.GetValue(_dashboardPort) ?? DashboardSite.DefaultPort);

    /// <summary><c>--data-dir DIR</c>, made absolute; the start and the token subcommand both take it.</summary>
    internal static Option<string?> DataDirOption(string description) =>
        ToolCommandLine.Value<string?>("--data-dir", "DIR", description,
            text => string.IsNullOrWhiteSpace(text) ? null : Path.GetFullPath(text), _ => "--data-dir needs a directory");

    private static Option<int?> Port(string name, string whose, int defaultPort) =>
        ToolCommandLine.Value<int?>(name, "N", $"Port of {whose} (default {defaultPort}).",
            text => ToolCommandLine.WholeNumber(text, 1, 65535),
            text => text is null ? $"{name} needs a port number" : $"{name} must be a port number from 1 to 65535, got '{text}'");

    private void EachPortItsOwn(CommandResult result)
    {
        // Only ports that parse can clash; one that does not gets its own error when the options are checked next.
        if (PortOf(result, _invoicesPort, DefaultInvoicesPort) is not { } invoices
            || PortOf(result, _statsPort, DefaultStatsPort) is not { } stats
            || PortOf(result, _dashboardPort, DashboardSite.DefaultPort) is not { } dashboard)
        {
            return;
        }
        if (invoices == stats)
        {
            result.AddError($"--invoices-port and --stats-port are both {invoices}; each function needs its own port");
        }
        else if (dashboard == invoices || dashboard == stats)
        {
            result.AddError($"--dashboard-port {dashboard} is a function's port; the page needs its own");
        }
    }

    // The port as given, or its default when not given; null when what was given is no port.
    private static int? PortOf(CommandResult result, Option<int?> option, int defaultPort) =>
        result.GetResult(option) is not { } given ? defaultPort
        : given.Tokens is [var token] ? ToolCommandLine.WholeNumber(token.Value, 1, 65535)
        : null;
}
