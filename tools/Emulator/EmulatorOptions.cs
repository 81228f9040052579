using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// The command line: <c>--fresh</c>, <c>--seed N</c>, <c>--invoices-port N</c>, <c>--stats-port N</c>, <c>--data-dir DIR</c>, <c>--dashboard-port N</c>, <c>--help</c>.
/// </summary>
/// <param name="Fresh">Delete the local database first.</param>
/// <param name="InvoicesPort">The Invoices function's port.</param>
/// <param name="StatsPort">The Stats function's port.</param>
/// <param name="ShowHelp">Print the help and stop.</param>
/// <param name="Seed">How many demo invoices to load; null when not asked.</param>
/// <param name="StateFolder">Where the database, the signing key and the passwords live; null means <c>.local/</c> in the clone.</param>
/// <param name="DashboardPort">The dashboard page's port.</param>
internal sealed record EmulatorOptions(bool Fresh, int InvoicesPort, int StatsPort, bool ShowHelp, int? Seed = null, string? StateFolder = null, int DashboardPort = DashboardSite.DefaultPort)
{
    internal const string UsageLine =
        "usage: dotnet run --project tools/Emulator [-- [--fresh] [--seed N] [--invoices-port N] [--stats-port N] [--data-dir DIR] [--dashboard-port N] [--help]]";
    internal const int MaxSeed = 100_000;

    internal const string Help = $"""
        {UsageLine}
        Starts a private PostgreSQL, applies the migrations and runs each function as its own process, as Cloud Run would.
          --fresh            delete the local database (data, roles, passwords) and start over
          --seed N           load N demo invoices (1 to 100000) for demo-user-1 and demo-user-2, only into an empty database
          --invoices-port N  port of the Invoices function (default 8081)
          --stats-port N     port of the Stats function (default 8082)
          --dashboard-port N port of the dashboard page (default 8080)
          --data-dir DIR     keep the database, key and passwords in DIR instead of .local/ (a second emulator, tests)
          --help             show this text
        Ctrl+C or SIGTERM stops everything. The printed table holds a 12-hour token for each demo caller; get another with
          dotnet run --project tools/Emulator -- token [--user ID] [--admin] [--hours N] [--data-dir DIR]
        POSTGRES_BIN_DIR, when set, names the directory of initdb, pg_ctl and postgres (otherwise PATH, then /usr/lib/postgresql).
        """;

    private const int DefaultInvoicesPort = 8081;
    private const int DefaultStatsPort = 8082;

    internal IReadOnlyList<LocalFunction> Functions =>
    [
        new("Invoices", "invoices", InvoicesPort, "--invoices-port"),
        new("Stats", "stats", StatsPort, "--stats-port"),
    ];

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> is one line that ends with the usage.</summary>
    internal static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out EmulatorOptions? options, out string error)
    {
        options = new EmulatorOptions(Fresh: false, DefaultInvoicesPort, DefaultStatsPort, ShowHelp: false);
        error = "";
        for (var i = 0; i < args.Count && error.Length == 0; i++)
        {
            switch (args[i])
            {
                case "--fresh":
                    options = options with { Fresh = true };
                    break;
                case "--help" or "-h":
                    options = options with { ShowHelp = true };
                    break;
                case "--invoices-port":
                    options = options with { InvoicesPort = ReadPort(args, ref i, ref error) };
                    break;
                case "--stats-port":
                    options = options with { StatsPort = ReadPort(args, ref i, ref error) };
                    break;
                case "--seed":
                    options = options with { Seed = ReadSeed(args, ref i, ref error) };
                    break;
                case "--data-dir" when i + 1 < args.Count && !string.IsNullOrWhiteSpace(args[i + 1]):
                    options = options with { StateFolder = Path.GetFullPath(args[++i]) };
                    break;
                case "--data-dir":
                    error = "--data-dir needs a directory";
                    break;
                case "--dashboard-port":
                    options = options with { DashboardPort = ReadPort(args, ref i, ref error) };
                    break;
                default:
                    error = $"unknown option '{args[i]}'";
                    break;
            }
        }
        if (error.Length == 0 && options.InvoicesPort == options.StatsPort)
        {
            error = $"--invoices-port and --stats-port are both {options.InvoicesPort}; each function needs its own port";
        }
        if (error.Length == 0 && (options.DashboardPort == options.InvoicesPort || options.DashboardPort == options.StatsPort))
        {
            error = $"--dashboard-port {options.DashboardPort} is a function's port; the page needs its own";
        }
        if (error.Length > 0)
        {
            error = $"{error}. {UsageLine}";
            options = null;
            return false;
        }
        return true;
    }

    private static int ReadPort(IReadOnlyList<string> args, ref int i, ref string error)
    {
        var flag = args[i];
        if (i + 1 >= args.Count)
        {
            error = $"{flag} needs a port number";
            return 0;
        }
        var text = args[++i];
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"{flag} must be a port number from 1 to 65535, got '{text}'";
        }
        return port;
    }

    private static int ReadSeed(IReadOnlyList<string> args, ref int i, ref string error)
    {
        var count = WholeNumberOption.Read(args, ref i, 1, MaxSeed);
        if (count is null)
        {
            error = $"--seed needs a number of invoices from 1 to {MaxSeed}";
        }
        return count ?? 0;
    }
}
