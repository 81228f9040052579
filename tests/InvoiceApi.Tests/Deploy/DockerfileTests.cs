using System.Diagnostics;
using System.Text.RegularExpressions;

namespace InvoiceApi.Tests.Deploy;

/// <summary>The Dockerfile's publish command works here, and the image it describes runs as Cloud Run expects.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string Dockerfile = RepositoryFiles.Read("Dockerfile");

    [Fact]
    public async Task The_Dockerfile_publish_command_builds_a_function_whose_apphost_starts()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var output = Directory.CreateTempSubdirectory("publish-stats-");
        try
        {
            // The Dockerfile's own command, with the build argument and output folder of this run.
            var command = PublishCommand().Replace("\"$PROJECT\"", "functions/Stats", StringComparison.Ordinal)
                .Replace("-o /app", $"-o {output.FullName}", StringComparison.Ordinal);

            var publish = await RunAsync("bash", ["-c", command], RepositoryFiles.Root, cancellationToken);

            Assert.True(publish.ExitCode == 0, publish.Output);
            Assert.True(File.Exists(Path.Combine(output.FullName, "Stats.dll")));
            Assert.Contains("Microsoft.AspNetCore.App", await File.ReadAllTextAsync(Path.Combine(output.FullName, "Stats.runtimeconfig.json"), cancellationToken), StringComparison.Ordinal);
            // ENTRYPOINT is a symlink to this apphost: without authentication settings it must refuse to start, saying why.
            var start = await RunAsync(Path.Combine(output.FullName, "Stats"), [], Path.GetTempPath(), cancellationToken);
            Assert.NotEqual(0, start.ExitCode);
            Assert.Contains("AUTH_FIREBASE_PROJECT", start.Output, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_image_publishes_with_the_SDK_and_runs_on_the_ASPNET_runtime_as_a_non_root_user()
    {
        var stages = FromLine().Matches(Dockerfile).Select(match => match.Groups[1].Value).ToList();
        Assert.Equal(2, stages.Count);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", stages[0]);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", stages[1], StringComparison.Ordinal);

        var runtime = Dockerfile[Dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        var user = Assert.Single(UserLine().Matches(runtime)).Groups[1].Value;
        Assert.False(user is "root" or "0" or "0:0", $"USER {user} is root.");
        Assert.Contains("ENTRYPOINT [\"/app/entrypoint\"]", runtime, StringComparison.Ordinal);
        Assert.Contains("ln -s \"$ASSEMBLY\" /app/entrypoint", Dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("--port", Dockerfile, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".dockerignore")]
    [InlineData(".gcloudignore")]
    public void Build_output_local_data_and_test_results_stay_out_of_uploads(string file)
    {
        var lines = RepositoryFiles.Read(file).Split('\n').Select(line => line.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", ".local/", "**/TestResults/" }, lines);
        // The build needs these: the Dockerfile, the tests and the CI script run in Cloud Build.
        Assert.DoesNotContain(lines, line => line is "Dockerfile" or "tests/" or ".ci/" or "cloudbuild.yaml");
    }

    private static string PublishCommand()
    {
        var joined = Dockerfile.Replace("\\\n", " ", StringComparison.Ordinal);
        var match = Assert.Single(PublishLine().Matches(joined));
        return match.Groups[1].Value.Trim();
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string directory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // A nested build must not reuse the test run's MSBuild settings, nor leave build servers holding our pipes.
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("AUTH_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await errors);
    }

    [GeneratedRegex(@"^FROM\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^USER\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex UserLine();

    [GeneratedRegex(@"^RUN\s+(dotnet publish [^&\n]*)", RegexOptions.Multiline)]
    private static partial Regex PublishLine();
}
