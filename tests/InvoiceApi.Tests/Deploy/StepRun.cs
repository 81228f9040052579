using System.Diagnostics;

namespace InvoiceApi.Tests.Deploy;

/// <summary>
/// Runs a bash step of cloudbuild.yaml here, with stand-ins for gcloud, docker and curl (shell functions) that record each call
/// (one line per call, arguments separated by a unit separator) and answer <c>run services describe</c> with a URL.
/// </summary>
internal sealed record StepRun(int ExitCode, string Output, IReadOnlyList<IReadOnlyList<string>> Calls)
{
    private const char Separator = '\u001f';
    private static readonly string[] Tools = ["gcloud", "docker", "curl"];

    public IEnumerable<IReadOnlyList<string>> CallsOf(string tool) => Calls.Where(call => call[0] == tool);

    public static async Task<StepRun> RunAsync(string script, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("cloudbuild-step-");
        try
        {
            var log = Path.Combine(directory.FullName, "calls.log");
            // Shell functions, not files on PATH: exec of a file just written can fail (ETXTBSY) while another test forks.
            var standIns = string.Concat(Tools.Select(tool =>
                $"{tool}() {{ (printf '%s' '{tool}'; for a in \"$@\"; do printf '\\037%s' \"$a\"; done; printf '\\n') >> '{log}'\n" +
                $"  case \"$*\" in 'run services describe '*) echo \"https://$4-abc-uc.a.run.app\";; esac; }}\nexport -f {tool}\n"));
            var start = new ProcessStartInfo("bash")
            {
                ArgumentList = { "-c", standIns + script },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var calls = File.Exists(log)
                ? (await File.ReadAllLinesAsync(log, cancellationToken)).Select(line => (IReadOnlyList<string>)line.Split(Separator)).ToList()
                : [];
            return new StepRun(process.ExitCode, await output + await errors, calls);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The value of <c>--name=value</c> in a recorded call, or null.</summary>
    public static string? Flag(IReadOnlyList<string> call, string name) =>
        call.FirstOrDefault(argument => argument.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
}
