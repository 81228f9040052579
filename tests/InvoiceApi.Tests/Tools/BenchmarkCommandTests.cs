using System.Diagnostics;

namespace InvoiceApi.Tests.Tools;

/// <summary>
/// What the benchmark command says before it measures anything, run as a user runs it (<c>dotnet
/// InvoiceApi.Benchmarks.dll</c> from its build output): it installs nothing and crashes on nothing.
/// </summary>
public sealed class BenchmarkCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_wrk_it_names_the_package_to_install_and_exits_3_having_started_nothing()
    {
        var emptyPath = Directory.CreateTempSubdirectory("bench-path-").FullName;
        var work = Path.Join(Path.GetTempPath(), $"bench-work-{Guid.NewGuid():N}");
        try
        {
            var (exitCode, output, errors) = await RunAsync(["--quick"], new() { ["PATH"] = emptyPath, ["BENCHMARK_DIR"] = work });

            Assert.Equal(3, exitCode);
            Assert.Equal("wrk is not installed: install it (Debian or Ubuntu: sudo apt-get install -y wrk) and run the benchmark again.", errors.Trim());
            Assert.Equal("", output);
            Assert.False(Directory.Exists(work), "the benchmark created its work directory before checking for wrk");
        }
        finally
        {
            Directory.Delete(emptyPath, recursive: true);
        }
    }

    [Fact]
    public async Task A_wrong_option_is_one_line_naming_it_and_exit_code_2()
    {
        var (exitCode, _, errors) = await RunAsync(["--load-second", "5"], []);

        Assert.Equal(2, exitCode);
        Assert.Contains("--load-second", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_option()
    {
        var (exitCode, output, _) = await RunAsync(["--help"], []);

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--quick", "--cold-starts", "--load-seconds", "--load-runs", "--mixed-seconds", "--builds", "--no-pin", "--no-publish" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string[] arguments, Dictionary<string, string> environment)
    {
        // The dotnet host by its full path: a test may leave PATH without it (and without wrk).
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = EmulatorProcess.RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Join(AppContext.BaseDirectory, "InvoiceApi.Benchmarks.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Token);
        var errors = process.StandardError.ReadToEndAsync(Token);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Token);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await errors);
    }

    private static string DotnetHost() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(directory => Path.Join(directory, "dotnet"))
            .FirstOrDefault(File.Exists) ?? "dotnet";
}
