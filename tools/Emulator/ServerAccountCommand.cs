using System.Diagnostics;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Runs a short command as the account the PostgreSQL server runs as: <c>postgres</c> (through runuser) when this
/// process is root, as LocalPostgres does, otherwise the current account.
/// </summary>
internal static class ServerAccountCommand
{
    internal const string PostgresAccount = "postgres";
    private static readonly string[] RunUserLocations = ["/usr/sbin/runuser", "/sbin/runuser"];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    internal static bool SwitchesAccount => Environment.IsPrivilegedProcess;

    /// <summary>Runs <paramref name="fileName"/> and returns its exit code; its output is discarded.</summary>
    internal static async Task<int> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(SwitchesAccount ? RunUserPath() : fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server account may not be able to enter our working directory (for example /root).
            WorkingDirectory = "/",
        };
        IEnumerable<string> prefix = SwitchesAccount ? ["-u", PostgresAccount, "--", fileName] : [];
        foreach (var argument in prefix.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        process.StandardInput.Close();
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(cancellationToken), process.StandardError.ReadToEndAsync(cancellationToken));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            await output;
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    private static string RunUserPath() =>
        RunUserLocations.FirstOrDefault(File.Exists)
        ?? throw new EmulatorFailure(ExitCodes.Database, $"runuser was not found in {string.Join(" or ", RunUserLocations)}; it is needed to run PostgreSQL as '{PostgresAccount}' when the emulator runs as root.");
}
