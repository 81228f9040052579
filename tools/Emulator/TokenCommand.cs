using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Tools.CommandLine;

namespace InvoiceApi.Tools.Emulator;

/// <summary>The <c>token</c> subcommand: prints one signed token on stdout (notes go to stderr), so <c>TOKEN=$(...)</c> works.</summary>
internal sealed class TokenCommand : Command
{
    internal static readonly LocalMember DefaultMember = LocalCallers.Owner;
    private const int DefaultHours = LocalCallers.TokenHours;
    private const int MaxHours = 720;
    private const int MaxIdLength = AccountRoles.MaxIdLength;

    private readonly Option<string?> _user = ToolCommandLine.Value<string?>("--user", "ID",
        $"The member (the token's sub; default {DefaultMember.Id}). A demo member ({string.Join(", ", LocalCallers.All.Select(member => member.Id))}) " +
        "keeps its seeded account, role and email unless --account or --role is given.",
        text => Id(text), _ => $"--user needs a member id of 1 to {MaxIdLength} characters");

    private readonly Option<string?> _account = ToolCommandLine.Value<string?>("--account", "ID",
        "The account the token acts for (the account claim); without it, the member's own personal account. Each account sees only its own invoices.",
        text => Id(text), _ => $"--account needs an account id of 1 to {MaxIdLength} characters");

    private readonly Option<AccountRole?> _role = ToolCommandLine.Value<AccountRole?>("--role", "viewer|editor|owner",
        "The member's role in the account (the account_role claim): a viewer reads, an editor also writes, an owner does everything. " +
        "Without it: owner of a personal account, viewer of a named one.",
        text => AccountRoles.Parse(text),
        text => text is null ? "--role needs viewer, editor or owner" : $"--role must be viewer, editor or owner, got '{text}'");

    private readonly Option<bool> _admin = ToolCommandLine.Flag("--admin",
        "Add \"role\": \"admin\": may read every account's invoices when asking with ?all_accounts=true.");

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
        Options.Add(_account);
        Options.Add(_role);
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
        Member(result.GetValue(_user), result.GetValue(_account), result.GetValue(_role)),
        result.GetValue(_admin),
        result.GetValue(_hours) ?? DefaultHours,
        result.GetValue(_dataDir));

    // Without --account and --role a demo member is the one the seed and the table use, so `token` alone reads the demo
    // business; with either, the token carries exactly what was given (and a demo member keeps its email).
    private static LocalMember Member(string? user, string? account, AccountRole? role)
    {
        var id = user ?? DefaultMember.Id;
        var demo = LocalCallers.Find(id);
        return demo is not null && account is null && role is null ? demo : new LocalMember(id, demo?.Email, account, role);
    }

    private static string? Id(string text) => string.IsNullOrWhiteSpace(text) || text.Length > MaxIdLength ? null : text;

    private static int Issue(TokenOptions options)
    {
        try
        {
            var authority = LocalAuthority.Ensure(RepositoryLayout.Locate(options.StateFolder), path => Console.Error.WriteLine($"created a new signing key in {path}; restart a running emulator to use it"));
            Console.Out.WriteLine(authority.IssueToken(options.Member, options.Admin, TimeSpan.FromHours(options.Hours)));
            return ExitCodes.Stopped;
        }
        catch (EmulatorFailure failure)
        {
            Console.Error.WriteLine(failure.Message);
            return failure.ExitCode;
        }
    }
}
