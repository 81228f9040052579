using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace InvoiceApi.Tests.Tools;

/// <summary>
/// The emulator as a developer runs it: <c>dotnet InvoiceApi.Emulator.dll ...</c> from its own build output, as its own
/// process, with stdout and stderr captured line by line.
/// </summary>
public sealed partial class EmulatorProcess : IAsyncDisposable
{
    private const int Sigterm = 15;

    // What a developer's shell or the test run could leak into the emulator and change what it does.
    private static readonly string[] Cleared = [ServerBinariesVariable, "DOTNET_STARTUP_HOOKS", "K_SERVICE", "PORT"];

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly Task _drained;

    private EmulatorProcess(Process process)
    {
        _process = process;
        _drained = Task.WhenAll(DrainAsync(process.StandardOutput, _output), DrainAsync(process.StandardError, _errors));
    }

    public const string ServerBinariesVariable = "POSTGRES_BIN_DIR";

    /// <summary>A generous limit for a start on a busy machine: initdb, migrations and two functions.</summary>
    public static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(4);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>tools/Emulator's build output of the configuration the tests were built with (the test project references it).</summary>
    public static string Assembly
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            return Path.Join(RepositoryRoot, "tools", "Emulator", "bin", output.Parent!.Name, output.Name, "InvoiceApi.Emulator.dll");
        }
    }

    public int ProcessId => _process.Id;

    public IReadOnlyList<string> Output => _output.ToArray();

    public IReadOnlyList<string> Errors => _errors.ToArray();

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static EmulatorProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(Assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in Cleared)
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {Assembly} did not start.");
        process.StandardInput.Close();
        return new EmulatorProcess(process);
    }

    /// <summary>Runs the emulator to its end (a verb, or a start that fails) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> Errors)> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan limit)
    {
        await using var emulator = Start(arguments, environment);
        var exitCode = await emulator.WaitForExitAsync(limit)
            ?? throw new TimeoutException($"The emulator did not exit within {limit}.\n{emulator.Transcript()}");
        return (exitCode, emulator.Output, emulator.Errors);
    }

    /// <summary>Waits until stdout has a line matching <paramref name="predicate"/>; fails early when the emulator exits.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> predicate, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!_output.Any(predicate))
        {
            if (_process.HasExited)
            {
                await _drained;
                if (_output.Any(predicate))
                {
                    return;
                }
                throw new InvalidOperationException($"The emulator exited with code {_process.ExitCode}.\n{Transcript()}");
            }
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"No matching line within {limit}.\n{Transcript()}");
            }
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Sends SIGTERM, as systemd, Docker or a CI runner does.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>The exit code, once the process has exited and all it wrote has been read; null after <paramref name="limit"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await _drained.WaitAsync(timeout.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public string Transcript() => $"stdout:\n{string.Join('\n', _output)}\nstderr:\n{string.Join('\n', _errors)}";

    /// <summary>Stops it as Ctrl+C would; kills what is left when that does not work, so no test leaves a server behind.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Terminate();
            if (await WaitForExitAsync(TimeSpan.FromSeconds(60)) is null)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        _process.Dispose();
    }

    private static async Task DrainAsync(StreamReader reader, ConcurrentQueue<string> lines)
    {
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Enqueue(line);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "InvoiceApi.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No InvoiceApi.slnx above {AppContext.BaseDirectory}.");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
