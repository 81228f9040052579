using System.ComponentModel;
using System.Diagnostics;

namespace InvoiceApi.LocalPostgres;

/// <summary>
/// Runs a command (optionally as another account, through runuser), captures its output, enforces a timeout
/// and kills the whole process tree when cancelled.
/// </summary>
internal static class ProcessRunner
{
    private static readonly string[] RunUserLocations = ["/usr/sbin/runuser", "/sbin/runuser"];
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="fileName"/> to completion; as <paramref name="runAsUser"/> when not null.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; the process tree has been killed.</exception>
    internal static async Task<ProcessResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, string? runAsUser, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ProcessStartInfo startInfo = CreateStartInfo(fileName, arguments, runAsUser);
        string commandLine = FormatCommandLine(startInfo);
        using Process process = Start(startInfo, commandLine);

        // Not cancellable on purpose: they end when the process tree exits or is killed, and then hold the output.
        Task<string> standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
            await Task.WhenAll(standardOutput, standardError).WaitAsync(timeoutSource.Token);
            return new ProcessResult(commandLine, process.ExitCode, standardOutput.Result, standardError.Result);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            cancellationToken.ThrowIfCancellationRequested();
            await WaitForOutputAsync(standardOutput, standardError, cancellationToken);
            return new ProcessResult(commandLine, -1, Completed(standardOutput), Completed(standardError), timeout);
        }
    }

    /// <summary>Runs <paramref name="fileName"/> synchronously as the current account; for quick queries such as --version.</summary>
    internal static ProcessResult Run(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        ProcessStartInfo startInfo = CreateStartInfo(fileName, arguments, runAsUser: null);
        string commandLine = FormatCommandLine(startInfo);
        using Process process = Start(startInfo, commandLine);
        Task<string> standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (!process.WaitForExit(timeout) || !Task.WaitAll([standardOutput, standardError], timeout))
        {
            KillTree(process);
            return new ProcessResult(commandLine, -1, "", "", timeout);
        }

        return new ProcessResult(commandLine, process.ExitCode, standardOutput.Result, standardError.Result);
    }

    private static ProcessStartInfo CreateStartInfo(string fileName, IReadOnlyList<string> arguments, string? runAsUser)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = runAsUser is null ? fileName : RunUserPath(),
            // A closed stdin: nothing we run may wait for a terminal.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server account may not be able to enter our working directory (for example /root); initdb needs getcwd.
            WorkingDirectory = "/",
        };
        if (runAsUser is not null)
        {
            foreach (string prefix in (string[])["-u", runAsUser, "--", fileName])
            {
                startInfo.ArgumentList.Add(prefix);
            }
        }

        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        RemoveLibpqVariables(startInfo);
        return startInfo;
    }

    // PGDATA, PGPORT, PGHOST, PGPASSWORD... from the caller's shell must not redirect pg_ctl or initdb.
    private static void RemoveLibpqVariables(ProcessStartInfo startInfo)
    {
        foreach (string name in startInfo.Environment.Keys.Where(name => name.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(name);
        }
    }

    private static string RunUserPath() => RunUserLocations.FirstOrDefault(File.Exists) ?? "runuser";

    private static Process Start(ProcessStartInfo startInfo, string commandLine)
    {
        try
        {
            Process process = Process.Start(startInfo) ?? throw new InvalidOperationException($"`{commandLine}` did not start.");
            process.StandardInput.Close();
            return process;
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException($"`{commandLine}` could not be started: {exception.Message}", exception);
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or Win32Exception)
        {
            // Already exited between the timeout and the kill.
        }
    }

    private static async Task WaitForOutputAsync(Task<string> standardOutput, Task<string> standardError, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(standardOutput, standardError).WaitAsync(OutputGrace, cancellationToken);
        }
        catch (TimeoutException)
        {
            // A grandchild that escaped the kill still holds the pipe; report what we have.
        }
    }

    private static string Completed(Task<string> output) => output.IsCompletedSuccessfully ? output.Result : "";

    private static string FormatCommandLine(ProcessStartInfo startInfo) =>
        string.Join(' ', startInfo.ArgumentList.Prepend(startInfo.FileName).Select(QuoteForDisplay));

    private static string QuoteForDisplay(string argument) =>
        argument.Length > 0 && argument.All(character => char.IsAsciiLetterOrDigit(character) || "-_=./:,@%+".Contains(character, StringComparison.Ordinal))
            ? argument
            : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
