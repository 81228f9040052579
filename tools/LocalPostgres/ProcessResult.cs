using System.Text;

namespace InvoiceApi.LocalPostgres;

/// <summary>How a finished (or timed-out) child process ended, and what it printed.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan? TimedOutAfter = null)
{
    private const int TailLines = 20;

    internal bool Succeeded => TimedOutAfter is null && ExitCode == 0;

    /// <summary>Throws an <see cref="InvalidOperationException"/> describing the failure, with the server log's tail when given.</summary>
    internal void EnsureSuccess(string? serverLogFile)
    {
        if (!Succeeded)
        {
            throw ToException(serverLogFile);
        }
    }

    internal InvalidOperationException ToException(string? serverLogFile)
    {
        var message = new StringBuilder();
        message.Append('`').Append(CommandLine).Append('`');
        message.Append(TimedOutAfter is { } timeout ? $" did not finish within {timeout.TotalSeconds:0.#} s and was killed." : $" failed with exit code {ExitCode}.");
        AppendSection(message, "stderr", TextTail.LastLines(StandardError, TailLines));
        AppendSection(message, "stdout", TextTail.LastLines(StandardOutput, TailLines));
        if (serverLogFile is not null)
        {
            AppendSection(message, $"server log {serverLogFile}", TextTail.LastLinesOfFile(serverLogFile, TailLines));
        }

        return new InvalidOperationException(message.ToString());
    }

    private static void AppendSection(StringBuilder message, string title, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        message.AppendLine().Append(title).Append($" (last {TailLines} lines):").AppendLine();
        message.Append(text);
    }
}
