using System.Globalization;

namespace InvoiceApi.LocalPostgres;

/// <summary>Starts, stops and queries the server of one data directory with pg_ctl, as the server account.</summary>
internal sealed class PgCtl(PostgresBinaries binaries, ServerAccount account, ClusterLayout layout)
{
    private const int ServerWaitSeconds = 30;
    private const int StatusRunning = 0;
    private const int StatusNotRunning = 3;

    // pg_ctl waits ServerWaitSeconds itself; ours only catches a pg_ctl that hangs.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(ServerWaitSeconds * 2);

    internal async Task StartAsync(int port, bool fast, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "-D", layout.DataDirectory, "-l", layout.LogFile, "-w", "-t", ServerWaitSeconds.ToString(CultureInfo.InvariantCulture),
            "-o", ServerOptions(port, fast), "start",
        ];
        ProcessResult result = await account.RunAsync(PgCtlPath, arguments, CommandTimeout, cancellationToken);
        result.EnsureSuccess(layout.LogFile);
    }

    /// <summary>Stops the server and waits until it has exited; does nothing when it is not running.</summary>
    internal async Task StopAsync(ShutdownMode mode, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "-D", layout.DataDirectory, "-m", mode == ShutdownMode.Fast ? "fast" : "immediate",
            "-w", "-t", ServerWaitSeconds.ToString(CultureInfo.InvariantCulture), "stop",
        ];
        ProcessResult result = await account.RunAsync(PgCtlPath, arguments, CommandTimeout, cancellationToken);
        if (!result.Succeeded && await IsRunningAsync(cancellationToken))
        {
            throw result.ToException(layout.LogFile);
        }
    }

    internal async Task<bool> IsRunningAsync(CancellationToken cancellationToken)
    {
        ProcessResult result = await account.RunAsync(PgCtlPath, ["-D", layout.DataDirectory, "status"], CommandTimeout, cancellationToken);
        return result.ExitCode switch
        {
            StatusRunning => true,
            StatusNotRunning => false,
            _ => throw result.ToException(layout.LogFile),
        };
    }

    private string PgCtlPath => binaries.PathOf("pg_ctl");

    // pg_ctl hands this string to /bin/sh; ClusterLayout has ruled out quotes and spaces in the socket directory.
    private string ServerOptions(int port, bool fast)
    {
        List<string> settings =
        [
            "listen_addresses=127.0.0.1",
            string.Create(CultureInfo.InvariantCulture, $"port={port}"),
            $"'unix_socket_directories={layout.SocketDirectory}'",
            "max_connections=200",
            "shared_buffers=128MB",
        ];
        if (fast)
        {
            // Not synchronous_commit=off: with fsync off it gains nothing measurable, and it loses commits on StopImmediateAsync.
            settings.AddRange(["fsync=off", "full_page_writes=off"]);
        }

        return string.Join(' ', settings.Select(setting => $"-c {setting}"));
    }
}
