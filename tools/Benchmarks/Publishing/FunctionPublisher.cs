using System.Text.RegularExpressions;
using InvoiceApi.Tools.Benchmarks.Processes;

namespace InvoiceApi.Tools.Benchmarks.Publishing;

/// <summary>
/// Publishes a function as the deploy would: <c>dotnet publish -c Release</c> (JIT, framework-dependent) or with
/// <c>-r linux-x64 -p:PublishAot=true</c> (Native AOT). A failed publish is a result, not an exception, so the table
/// says so and every other figure is still measured.
/// </summary>
internal static partial class FunctionPublisher
{
    internal static readonly string[] Functions = ["Invoices", "Stats"];

    internal static async Task<PublishedFunction> PublishAsync(string repositoryRoot, string outputRoot, string function, Build build, bool publish,
        CancellationToken cancellationToken)
    {
        var output = Path.Join(outputRoot, build.ToString().ToLowerInvariant(), function);
        var executable = Path.Join(output, function);
        var failureFile = Path.Join(output, "publish-failure.txt");
        if (!publish)
        {
            return File.Exists(executable) ? new PublishedFunction(function, build, executable, null)
                : new PublishedFunction(function, build, null, File.Exists(failureFile) ? await File.ReadAllTextAsync(failureFile, cancellationToken) : "not published (--no-publish)");
        }
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }
        Directory.CreateDirectory(output);
        List<string> arguments = ["publish", Path.Join(repositoryRoot, "functions", function, function + ".csproj"), "-c", "Release", "-o", output, "-nologo"];
        if (build == Build.Aot)
        {
            arguments.AddRange(["-r", "linux-x64", "-p:PublishAot=true"]);
        }
        Progress.Line($"dotnet {string.Join(' ', arguments)}");
        var result = await Command.RunAsync("dotnet", arguments, cancellationToken, workingDirectory: repositoryRoot);
        var failure = result.Succeeded && File.Exists(executable) ? null : FirstError(result);
        if (failure is not null)
        {
            await File.WriteAllTextAsync(failureFile, failure, cancellationToken);
            Progress.Line($"{function} ({build}) publish failed: {failure}");
            return new PublishedFunction(function, build, null, failure);
        }
        return new PublishedFunction(function, build, executable, null);
    }

    // The first "error XX1234: ..." line, without the project path MSBuild appends.
    private static string FirstError(CommandResult result)
    {
        var lines = (result.Output + "\n" + result.Error).Split('\n');
        var error = lines.FirstOrDefault(line => ErrorLine().IsMatch(line)) ?? lines.LastOrDefault(line => line.Trim().Length > 0) ?? $"exit code {result.ExitCode}";
        var match = ErrorLine().Match(error);
        var text = match.Success ? match.Groups["message"].Value : error.Trim();
        return ProjectSuffix().Replace(text, "").Trim();
    }

    [GeneratedRegex(@"(?:^|\s)(?<message>error [A-Z]*\d+:.*)$")]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"\s*\[[^\]]*\.csproj[^\]]*\]\s*$")]
    private static partial Regex ProjectSuffix();
}
