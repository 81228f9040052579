using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using InvoiceApi.Tools.CommandLine;

namespace InvoiceApi.Tools.Emulator;

/// <summary>The <c>token</c> subcommand: prints one signed token on stdout (notes go to stderr), so <c>TOKEN=$(...)</c> works.</summary>
internal sealed class TokenCommand : Command
{
    internal const string DefaultUser = LocalCallers.First;
    private const int DefaultHours = LocalCallers.TokenHours;
    private const int MaxHours = 720;

    private readonly Option<string?> _user = ToolCommandLine.Value<string?>("--user", "ID",
        $"The caller (the token's sub; default {DefaultUser}); each caller sees only its own invoices.",
        text => string.IsNullOrWhiteSpace(text) || text.Length > 128 ? null : text, _ => "--user needs a caller id of 1 to 128 characters");

    private readonly Option<bool> _admin = ToolCommandLine.Flag("--admin",
        "Add \"role\": \"admin\": may read every caller's invoices when asking with ?all_callers=true.");

    private readonly Option<int?> _hours = ToolCommandLine.Value<int?>("--hours", "N", $"Lifetime in hours, 1 to {MaxHours} (default {DefaultHours}).",
        text => ToolCommandLine.WholeNumber(text, 1, MaxHours), _ => $"--hours needs a whole number from 1 to {MaxHours}");

    private readonly Option<string?> _dataDir = EmulatorCommand.DataDirOption("Sign with the key of the emulator started with --data-dir DIR.");

    internal TokenCommand()
        : base("token", """
            Prints a token the local functions accept, and nothing else, so that TOKEN=$(...) works.
            The key is .local/auth/local-signing-key.pem, generated on first use; the emulator gives it to the functions.
            `dotnet run` builds first; for repeated use, `dotnet run --no-build --project tools/Emulator -- token ...` answers at once.
            """)
    {
        Options.Add(_user);
        Options.Add(_admin);
        Options.Add(_hours);
        Options.Add(_dataDir);
        SetAction(parseResult => Issue(Read(parseResult)));
    }

    /// <summary>Parses the arguments after <c>token</c>; on failure <paramref name="error"/> is the one line the emulator prints.</summary>
    internal static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out TokenOptions? options, out string error)
    {
        var command = new EmulatorCommand(start: _ => Task.FromResult(ExitCodes.Stopped));
        var result = ToolCommandLine.Parse(command, ["token", .. args]);
        error = ToolCommandLine.ErrorLine(result) ?? "";
        options = error.Length == 0 && result.CommandResult.Command is TokenCommand token ? token.Read(result) : null;
        return options is not null;
    }

    private TokenOptions Read(ParseResult result) => new(
        result.GetValue(_user) ?? DefaultUser,
        result.GetValue(_admin),
        result.GetValue(_hours) ?? DefaultHours,
        result.GetValue(_dataDir));

    private static int Issue(TokenOptions options)
    {
        try
        {
            var authority = LocalAuthority.Ensure(RepositoryLayout.Locate(options.StateFolder), path => Console.Error.WriteLine($"created a new signing key in {path}; restart a running emulator to use it"));
            Console.Out.WriteLine(authority.IssueToken(options.UserId, options.Admin, TimeSpan.FromHours(options.Hours)));
            return ExitCodes.Stopped;
        }
        catch (EmulatorFailure failure)
        {
            Console.Error.WriteLine(failure.Message);
            return failure.ExitCode;
        }
    }
}
