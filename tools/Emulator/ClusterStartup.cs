using InvoiceApi.LocalPostgres;

namespace InvoiceApi.Tools.Emulator;

/// <summary>Starts the emulator's PostgreSQL (creating it on the first run, reusing it after), after <c>--fresh</c> wiped it when asked.</summary>
internal static class ClusterStartup
{
    internal const string InstanceConnectionName = "local:dev:invoices";
    private const int LogTailLines = 20;

    /// <exception cref="EmulatorFailure">No server binaries, or the server did not start (exit code 3).</exception>
    internal static async Task<PostgresCluster> StartAsync(RepositoryLayout repository, DataLocation location, bool fresh,
        IReadOnlyCollection<int> emulatorPorts, EmulatorConsole console)
    {
        var options = new PostgresClusterOptions
        {
            DataDirectory = location.DataDirectory,
            // Not one of the functions' or the page's ports: they bind later, so they still look free now.
            Port = LoopbackPort.PickFree(emulatorPorts),
            SocketRoot = repository.SocketRoot,
            InstanceConnectionName = InstanceConnectionName,
            // This data is kept between runs: fsync stays on.
            Fast = false,
            Binaries = ServerBinaries.Locate(),
        };
        try
        {
            if (fresh)
            {
                await StartOverAsync(location, options.Binaries, console);
            }
            console.Info($"postgres: starting ({(File.Exists(Path.Join(location.DataDirectory, "PG_VERSION")) ? "reusing" : "creating")} {location.DataDirectory})");
            // Not cancellable: a pg_ctl killed half-way could leave a server behind that nothing would stop.
            var cluster = await PostgresCluster.StartAsync(options, CancellationToken.None);
            console.Info($"postgres: ready on 127.0.0.1:{cluster.Port} and {cluster.SocketDirectory} (PostgreSQL {cluster.Binaries.MajorVersion})");
            return cluster;
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new EmulatorFailure(ExitCodes.Database, $"PostgreSQL did not start from {location.DataDirectory}.\n{exception.Message}{LogTail(options, exception)}");
        }
    }

    private static async Task StartOverAsync(DataLocation location, PostgresBinaries binaries, EmulatorConsole console)
    {
        // A server left running by a killed emulator must not keep files open in the folder we delete.
        if (File.Exists(Path.Join(location.DataDirectory, "postmaster.pid")))
        {
            var pgCtl = binaries.PathOf("pg_ctl");
            await ServerAccountCommand.RunAsync(pgCtl, ["-D", location.DataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None);
        }
        if (Directory.Exists(location.Folder))
        {
            Directory.Delete(location.Folder, recursive: true);
            console.Info($"fresh: deleted {location.Folder}");
        }
    }

    // pg_ctl's failures already carry the server log; initdb's and path errors do not.
    private static string LogTail(PostgresClusterOptions options, Exception exception)
    {
        if (exception.Message.Contains("server log", StringComparison.Ordinal) || !File.Exists(options.LogFile))
        {
            return "";
        }
        var lines = File.ReadLines(options.LogFile).TakeLast(LogTailLines).ToList();
        return lines.Count == 0 ? "" : $"\nserver log {options.LogFile} (last {LogTailLines} lines):\n{string.Join('\n', lines)}";
    }
}
