using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace InvoiceApi.Tests.Tools;

/// <summary>
/// One test's own emulator setting: a state folder under /tmp (<c>--data-dir</c>) and two free ports, so tests run in
/// parallel with each other and with a developer's emulator on 8081/8082. Disposing it deletes the folder and the
/// emulator's runtime folder (lock, socket directory, process record).
/// </summary>
public sealed class EmulatorHome : IDisposable
{
    // Open to the postgres account, which runs the server when the tests run as root.
    private const UnixFileMode Open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public EmulatorHome()
    {
        StateFolder = Path.Join("/tmp", $"ivt-emulator-{Guid.NewGuid():N}"[..24]);
        // The emulator runs on Linux only; this tells the platform analyzer so.
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The emulator runs on Linux only.");
        }
        Directory.CreateDirectory(StateFolder, Open);
        InvoicesPort = FreePort();
        do
        {
            StatsPort = FreePort();
        }
        while (StatsPort == InvoicesPort);
        // Its own page port too: with the default (8080) two emulators of parallel tests, or anything else on the
        // machine, fail the start with "address already in use".
        do
        {
            DashboardPort = FreePort();
        }
        while (DashboardPort == InvoicesPort || DashboardPort == StatsPort);
    }

    public string StateFolder { get; }

    public int InvoicesPort { get; }

    public int StatsPort { get; }

    public int DashboardPort { get; }

    public Uri InvoicesUrl => new($"http://127.0.0.1:{InvoicesPort}");

    public Uri StatsUrl => new($"http://127.0.0.1:{StatsPort}");

    /// <summary>The emulator's <c>/tmp/invoiceapi-&lt;tag&gt;</c> for this state folder (RepositoryLayout's rule).</summary>
    public string RuntimeFolder =>
        Path.Join("/tmp", "invoiceapi-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StateFolder)))[..8]);

    public string DataDirectory => Path.Join(StateFolder, "postgres", "data");

    /// <summary>The arguments that put an emulator in this home, followed by <paramref name="more"/>.</summary>
    public IReadOnlyList<string> Arguments(params string[] more) =>
    [
        "--data-dir", StateFolder,
        "--invoices-port", InvoicesPort.ToString(CultureInfo.InvariantCulture),
        "--stats-port", StatsPort.ToString(CultureInfo.InvariantCulture),
        "--dashboard-port", DashboardPort.ToString(CultureInfo.InvariantCulture),
        .. more,
    ];

    /// <summary>The function processes the running emulator recorded (its functions.pids).</summary>
    public IReadOnlyList<int> FunctionProcessIds() =>
        [.. File.ReadAllLines(Path.Join(RuntimeFolder, "functions.pids")).Select(line => int.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture))];

    /// <summary>Waits for the emulator to record both function processes, written just after it starts them.</summary>
    public async Task<IReadOnlyList<int>> WaitForFunctionProcessIdsAsync(TimeSpan limit)
    {
        var path = Path.Join(RuntimeFolder, "functions.pids");
        for (var waited = TimeSpan.Zero; waited < limit; waited += TimeSpan.FromMilliseconds(50))
        {
            if (File.Exists(path) && File.ReadAllLines(path) is { Length: 2 } lines && lines.All(line => line.Contains(".dll", StringComparison.Ordinal)))
            {
                return FunctionProcessIds();
            }
            await Task.Delay(50, CancellationToken.None);
        }
        throw new TimeoutException($"{path} did not list two functions within {limit}.");
    }

    /// <summary>The PostgreSQL server's process id, from the first line of postmaster.pid.</summary>
    public int PostmasterProcessId() =>
        int.Parse(File.ReadLines(Path.Join(DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <summary>True while the process exists and is not a zombie waiting for its parent.</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            // /proc/<pid>/stat: "pid (name) state ..."; the name may hold spaces, the state follows the last ')'.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        foreach (var folder in new[] { StateFolder, RuntimeFolder })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    // Below the ephemeral range: a released port-0 pick could be taken by another host's bind before the emulator binds it.
    private static int FreePort() => InvoiceApi.LocalPostgres.LoopbackPort.PickFree();
}
