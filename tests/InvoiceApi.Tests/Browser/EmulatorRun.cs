using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using InvoiceApi.Functions.Api.Auth;

namespace InvoiceApi.Tests.Browser;

/// <summary>
/// The emulator as a newcomer runs it, as its own process, but in a private copy of the repository's layout (its own
/// data, signing key, lock and sockets) and on free ports, so it never meets a developer's running emulator.
/// </summary>
public sealed partial class EmulatorRun : IAsyncDisposable
{
    private const int Sigterm = 15;
    // As the emulator's own tests allow (Tools/EmulatorProcess): it can take 40 s and more on a loaded 2-core machine.
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly string _root;
    private readonly ConcurrentQueue<string> _output = new();

    private EmulatorRun(Process process, string root, int invoicesPort, int statsPort, int dashboardPort)
    {
        _process = process;
        _root = root;
        InvoicesUrl = new Uri($"http://127.0.0.1:{invoicesPort}");
        StatsUrl = new Uri($"http://127.0.0.1:{statsPort}");
        DashboardUrl = new Uri($"http://127.0.0.1:{dashboardPort}/");
        process.OutputDataReceived += (_, line) => Record(line.Data);
        process.ErrorDataReceived += (_, line) => Record(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri InvoicesUrl { get; }

    public Uri StatsUrl { get; }

    public Uri DashboardUrl { get; }

    /// <summary>Everything the emulator printed so far, its functions' logs included.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the emulator built beside this test (tools/Emulator, same configuration) and waits for its page.</summary>
    public static async Task<EmulatorRun> StartAsync(CancellationToken cancellationToken)
    {
        var repository = RepositoryRoot();
        var root = PrivateLayout(repository);
        var ports = FreePorts(3);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Join(root, "emulator", "InvoiceApi.Emulator.dll"),
                "--invoices-port", ports[0].ToString(CultureInfo.InvariantCulture),
                "--stats-port", ports[1].ToString(CultureInfo.InvariantCulture),
                "--dashboard-port", ports[2].ToString(CultureInfo.InvariantCulture),
            },
            WorkingDirectory = root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet InvoiceApi.Emulator.dll did not start.");
        process.StandardInput.Close();
        var run = new EmulatorRun(process, root, ports[0], ports[1], ports[2]);
        try
        {
            await run.WaitForPageAsync(cancellationToken);
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A token the emulator's functions accept, signed with the key the emulator created in its layout; <paramref name="claims"/>
    /// adds others, such as the account and the role.
    /// </summary>
    public string IssueToken(string userId, IReadOnlyDictionary<string, object>? claims = null) =>
        LocalSigningKey.Load(Path.Join(_root, ".local", "auth", "local-signing-key.pem"))
            .IssueToken(userId, "invoice-api-local", "invoice-api", TimeSpan.FromHours(1), claims);

    /// <summary>SIGTERM, as Ctrl+C would; the emulator stops its functions and PostgreSQL, then the layout is removed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, Sigterm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        _process.Dispose();
        RemoveLayout();
    }

    private async Task WaitForPageAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartLimit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The emulator exited with code {_process.ExitCode} before serving its page:\n{Output}");
            }
            try
            {
                using var response = await client.GetAsync(new Uri(DashboardUrl, "config.json"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the page starts after the functions are ready.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(200, cancellationToken);
        }
        throw new TimeoutException($"The emulator did not serve {DashboardUrl}config.json within {StartLimit.TotalSeconds:0} s:\n{Output}");
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    // The layout the emulator looks for: InvoiceApi.slnx at the root, functions/<Name>/bin/..., and its own build output below the root.
    private static string PrivateLayout(string repository)
    {
        var configurationDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var targetFramework = configurationDirectory.Name;
        var configuration = configurationDirectory.Parent!.Name;
        var emulatorBuild = Path.Join(repository, "tools", "Emulator", "bin", configuration, targetFramework);
        if (!File.Exists(Path.Join(emulatorBuild, "InvoiceApi.Emulator.dll")))
        {
            throw new InvalidOperationException($"{emulatorBuild} holds no emulator build; run `dotnet build` (the solution) before this test.");
        }
        var root = Directory.CreateTempSubdirectory("invoiceapi-browser-").FullName;
        // PostgreSQL runs as the postgres account when the tests are root: it must be able to enter the data folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        File.WriteAllText(Path.Join(root, "InvoiceApi.slnx"), "<Solution />\n");
        CopyDirectory(emulatorBuild, Path.Join(root, "emulator"));
        foreach (var function in new[] { "Invoices", "Stats" })
        {
            var build = Path.Join("functions", function, "bin", configuration, targetFramework);
            CopyDirectory(Path.Join(repository, build), Path.Join(root, build));
        }
        return root;
    }

    // Copies, not links: removing the layout must never reach into the repository.
    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Join(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    private void RemoveLayout()
    {
        // The emulator's folders outside the layout are named after a hash of its root (RepositoryLayout.Tag).
        var tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_root)))[..8];
        foreach (var directory in new[] { _root, $"/tmp/invoiceapi-{tag}", $"/var/tmp/invoiceapi-{tag}" })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static string RepositoryRoot()
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

    // Below the ephemeral range (see LoopbackPort), and distinct.
    private static int[] FreePorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(InvoiceApi.LocalPostgres.LoopbackPort.PickFree());
        }
        return [.. ports];
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
