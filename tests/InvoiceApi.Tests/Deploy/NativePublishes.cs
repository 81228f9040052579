using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace InvoiceApi.Tests.Deploy;

/// <summary>
/// The Dockerfile's own publish command, run here once per deployable per test run and shared by the tests that need it:
/// a Native AOT publish takes minutes, so they run one at a time, at low CPU priority beside the other tests.
/// </summary>
public sealed partial class NativePublishes : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<NativePublish>>> _publishes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aot-publish-");

    /// <summary>The <c>RUN dotnet publish ...</c> command of the Dockerfile, up to its <c>&amp;&amp;</c>.</summary>
    public static string DockerfileCommand()
    {
        var joined = RepositoryFiles.Read("Dockerfile").Replace("\\\n", " ", StringComparison.Ordinal);
        var match = Assert.Single(PublishLine().Matches(joined));
        return match.Groups[1].Value.Trim();
    }

    /// <summary>Publishes <paramref name="project"/> (build argument PROJECT) once; <paramref name="assembly"/> is ASSEMBLY.</summary>
    public Task<NativePublish> OfAsync(string project, string assembly) =>
        _publishes.GetOrAdd(project, _ => new Lazy<Task<NativePublish>>(() => PublishAsync(project, assembly))).Value;

    public ValueTask DisposeAsync()
    {
        _oneAtATime.Dispose();
        _root.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task<NativePublish> PublishAsync(string project, string assembly)
    {
        var output = _root.CreateSubdirectory(assembly).FullName;
        // The Dockerfile's command with this run's build argument and output folder, exactly as the image build runs it.
        var command = DockerfileCommand().Replace("\"$PROJECT\"", project, StringComparison.Ordinal)
            .Replace("-o /publish", $"-o {output}", StringComparison.Ordinal);
        Assert.Contains(output, command, StringComparison.Ordinal);
        await _oneAtATime.WaitAsync(CancellationToken.None);
        try
        {
            var clock = Stopwatch.StartNew();
            var (exitCode, text) = await ProcessRun.RunAsync("nice", ["-n", "10", "bash", "-c", command], RepositoryFiles.Root, [], CancellationToken.None);
            return new NativePublish(command, exitCode, text, Path.Combine(output, assembly), clock.Elapsed);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    [GeneratedRegex(@"^RUN\s+(dotnet publish [^&\n]*)", RegexOptions.Multiline)]
    private static partial Regex PublishLine();
}

/// <summary>One publish: its command, exit code, whole output, the native binary's path and how long it took.</summary>
public sealed partial record NativePublish(string Command, int ExitCode, string Output, string Binary, TimeSpan Duration)
{
    /// <summary>Every compiler, trimmer or AOT diagnostic line (IL2xxx trim analysis, IL3xxx AOT analysis, and any other warning).</summary>
    public IReadOnlyList<string> Diagnostics =>
        Output.Split('\n').Select(line => line.Trim()).Where(line => Diagnostic().IsMatch(line)).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"\b(warning|error)\s+[A-Z]+\d+|\bIL[23]\d{3}\b")]
    private static partial Regex Diagnostic();
}
