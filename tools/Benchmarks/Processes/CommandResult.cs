namespace InvoiceApi.Tools.Benchmarks.Processes;

/// <summary>How a command ended and what it printed.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    internal bool Succeeded => ExitCode == 0;
}
