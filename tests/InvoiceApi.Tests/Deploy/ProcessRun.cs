using System.Diagnostics;

namespace InvoiceApi.Tests.Deploy;

/// <summary>Runs a command to its end with a clean environment and returns its exit code and everything it wrote.</summary>
internal static class ProcessRun
{
    // What the test run's own environment must not leak into a nested build or a started binary.
    private static readonly string[] LeakingPrefixes = ["MSBUILD", "AUTH_", "DB_", "INSTANCE_", "DATABASE_URL", "K_SERVICE", "PORT"];

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string directory,
        Dictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in start.Environment.Keys.Where(name => LeakingPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(name);
        }
        // A nested build must not leave build servers holding our pipes.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await errors);
    }
}
