namespace InvoiceApi.Tools.Emulator;

/// <summary>The <c>token</c> verb: prints one signed token on stdout (notes go to stderr), so <c>TOKEN=$(...)</c> works.</summary>
internal static class TokenCommand
{
    internal static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (!TokenOptions.TryParse(args, out var options, out var usageError))
        {
            await Console.Error.WriteLineAsync(usageError);
            return ExitCodes.Usage;
        }
        if (options.ShowHelp)
        {
            await Console.Out.WriteLineAsync(TokenOptions.Help);
            return ExitCodes.Stopped;
        }
        try
        {
            var authority = LocalAuthority.Ensure(RepositoryLayout.Locate(options.StateFolder), path => Console.Error.WriteLine($"created a new signing key in {path}; restart a running emulator to use it"));
            await Console.Out.WriteLineAsync(authority.IssueToken(options.UserId, options.Admin, TimeSpan.FromHours(options.Hours)));
            return ExitCodes.Stopped;
        }
        catch (EmulatorFailure failure)
        {
            await Console.Error.WriteLineAsync(failure.Message);
            return failure.ExitCode;
        }
    }
}
