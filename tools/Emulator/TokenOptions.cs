using System.Diagnostics.CodeAnalysis;

namespace InvoiceApi.Tools.Emulator;

/// <summary>The <c>token</c> verb's command line: <c>token [--user ID] [--admin] [--hours N] [--data-dir DIR]</c>.</summary>
/// <param name="UserId">The caller (the token's sub).</param>
/// <param name="Admin">Add "role": "admin".</param>
/// <param name="Hours">The token's lifetime.</param>
/// <param name="ShowHelp">Print the help and stop.</param>
/// <param name="StateFolder">The emulator's <c>--data-dir</c>, whose key signs the token; null for <c>.local/</c>.</param>
internal sealed record TokenOptions(string UserId, bool Admin, int Hours, bool ShowHelp, string? StateFolder = null)
{
    internal const string Verb = "token";
    internal const string UsageLine = "usage: dotnet run --project tools/Emulator -- token [--user ID] [--admin] [--hours N] [--data-dir DIR]";
    internal const string DefaultUser = LocalCallers.First;
    private const int DefaultHours = LocalCallers.TokenHours;
    private const int MaxHours = 720;

    internal static readonly string Help = $"""
        {UsageLine}
        Prints a token the local functions accept, and nothing else, so that TOKEN=$(...) works.
          --user ID   the caller (the token's sub; default {DefaultUser}); each caller sees only its own invoices
          --admin     add "role": "admin": may read every caller's invoices when asking with ?all_callers=true
          --hours N   lifetime in hours, 1 to {MaxHours} (default {DefaultHours})
          --data-dir DIR  sign with the key of the emulator started with --data-dir DIR
        The key is .local/auth/local-signing-key.pem, generated on first use; the emulator gives it to the functions.
        """;

    /// <summary>Parses the arguments after the verb; on failure <paramref name="error"/> is one line that ends with the usage.</summary>
    internal static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out TokenOptions? options, out string error)
    {
        options = new TokenOptions(DefaultUser, Admin: false, DefaultHours, ShowHelp: false);
        error = "";
        for (var i = 0; i < args.Count && error.Length == 0; i++)
        {
            switch (args[i])
            {
                case "--user" when i + 1 < args.Count && !string.IsNullOrWhiteSpace(args[i + 1]) && args[i + 1].Length <= 128:
                    options = options with { UserId = args[++i] };
                    break;
                case "--user":
                    error = "--user needs a caller id of 1 to 128 characters";
                    break;
                case "--admin":
                    options = options with { Admin = true };
                    break;
                case "--hours":
                    options = options with { Hours = ReadHours(args, ref i, ref error) };
                    break;
                case "--help" or "-h":
                    options = options with { ShowHelp = true };
                    break;
                case "--data-dir" when i + 1 < args.Count && !string.IsNullOrWhiteSpace(args[i + 1]):
                    options = options with { StateFolder = Path.GetFullPath(args[++i]) };
                    break;
                case "--data-dir":
                    error = "--data-dir needs a directory";
                    break;
                default:
                    error = $"unknown option '{args[i]}'";
                    break;
            }
        }
        if (error.Length > 0)
        {
            error = $"{error}. {UsageLine}";
            options = null;
            return false;
        }
        return true;
    }

    private static int ReadHours(IReadOnlyList<string> args, ref int i, ref string error)
    {
        var hours = WholeNumberOption.Read(args, ref i, 1, MaxHours);
        if (hours is null)
        {
            error = $"--hours needs a whole number from 1 to {MaxHours}";
        }
        return hours ?? 0;
    }
}
