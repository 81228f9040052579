using System.ComponentModel;
using System.Diagnostics;

namespace InvoiceApi.Tools.Emulator;

/// <summary>Starts a function the way Cloud Run does: <c>dotnet &lt;Name&gt;.dll</c> with the service's environment.</summary>
internal static class FunctionLauncher
{
    /// <exception cref="EmulatorFailure">The function is not built, or dotnet could not be started (exit code 1).</exception>
    internal static RunningFunction Start(
        RepositoryLayout repository, LocalFunction function, IReadOnlyDictionary<string, string> environment, EmulatorConsole console)
    {
        var assembly = repository.FunctionAssembly(function);
        if (!File.Exists(assembly))
        {
            throw new EmulatorFailure(ExitCodes.Failed, $"{assembly} does not exist; build the solution first (dotnet build).");
        }
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly },
            WorkingDirectory = repository.Root,
            // A closed stdin: the functions never touch the terminal the emulator runs in.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        FunctionEnvironment.ApplyTo(start.Environment, environment);
        try
        {
            var process = Process.Start(start) ?? throw new EmulatorFailure(ExitCodes.Failed, $"dotnet {assembly} did not start.");
            process.StandardInput.Close();
            return new RunningFunction(function, process, console);
        }
        catch (Win32Exception exception)
        {
            throw new EmulatorFailure(ExitCodes.Failed, $"Could not run dotnet to start {function.ServiceName}: {exception.Message}.");
        }
    }
}
