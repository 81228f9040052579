namespace InvoiceApi.LocalPostgres;

/// <summary>
/// A private PostgreSQL server started from the machine's binaries, reachable like Cloud SQL from Cloud Run
/// (a Unix socket in <c>SocketRoot/InstanceConnectionName</c>, also as <c>.s.PGSQL.5432</c>) and over TCP on 127.0.0.1.
/// When this process is root, the server runs as the <c>postgres</c> account.
/// </summary>
/// <remarks>
/// A reused data directory whose server is still running (left behind by a killed run) is stopped first, with a fast
/// shutdown, and started again with these options. So two live <see cref="PostgresCluster"/> objects must never share
/// a data directory.
/// </remarks>
public sealed class PostgresCluster : IAsyncDisposable
{
    internal const string SuperUserName = "postgres";

    private readonly ClusterLayout _layout;
    private readonly PgCtl _pgCtl;
    private readonly bool _fast;

    // Serialises start and stop: two overlapping pg_ctl calls on one data directory would race.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private bool _running;

    private PostgresCluster(ClusterLayout layout, PostgresBinaries binaries, PgCtl pgCtl, int port, string superUserPassword, bool fast)
    {
        _layout = layout;
        _pgCtl = pgCtl;
        _fast = fast;
        Binaries = binaries;
        Port = port;
        SuperUserPassword = superUserPassword;
    }

    /// <summary>The Cloud SQL instance connection name, also the socket directory's name.</summary>
    public string InstanceConnectionName => _layout.InstanceConnectionName;

    /// <summary>The directory standing in for Cloud Run's <c>/cloudsql</c>: the value for INSTANCE_UNIX_SOCKET.</summary>
    public string SocketRoot => _layout.SocketRoot;

    /// <summary><c>SocketRoot/InstanceConnectionName</c>: the Host for a Unix socket connection.</summary>
    public string SocketDirectory => _layout.SocketDirectory;

    /// <summary>The TCP port on 127.0.0.1 (the socket file is <c>.s.PGSQL.&lt;Port&gt;</c>, aliased as <c>.s.PGSQL.5432</c>).</summary>
    public int Port { get; }

    /// <summary>The superuser's name.</summary>
    public string SuperUser { get; } = SuperUserName;

    /// <summary>The superuser's password (scram-sha-256 is required on both socket and TCP).</summary>
    public string SuperUserPassword { get; }

    /// <summary>The server log.</summary>
    public string LogFile => _layout.LogFile;

    /// <summary>The data directory.</summary>
    public string DataDirectory => _layout.DataDirectory;

    /// <summary>The server binaries in use (for pgbench, psql and the like).</summary>
    public PostgresBinaries Binaries { get; }

    /// <summary>
    /// Creates (initdb) or reuses the cluster in <see cref="PostgresClusterOptions.DataDirectory"/>, starts it and waits
    /// until it accepts connections.
    /// </summary>
    /// <exception cref="PostgresBinariesNotFoundException">No server binaries on this machine.</exception>
    /// <exception cref="ArgumentException">A path is unusable, for example a socket path over 107 bytes.</exception>
    /// <exception cref="InvalidOperationException">A command failed; the message holds its output and the server log's tail.</exception>
    public static async Task<PostgresCluster> StartAsync(PostgresClusterOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("PostgresCluster needs Linux: it uses runuser, Unix sockets and /usr/lib/postgresql.");
        }

        ClusterLayout layout = ClusterLayout.From(options);
        PostgresBinaries binaries = options.Binaries ?? PostgresBinaries.Locate();
        ServerAccount account = ServerAccount.ForCurrentProcess();
        var pgCtl = new PgCtl(binaries, account, layout);
        string password = await ClusterProvisioner.ProvisionAsync(binaries, account, pgCtl, layout, options, cancellationToken);

        var cluster = new PostgresCluster(layout, binaries, pgCtl, options.Port ?? LoopbackPort.PickFree(), password, options.Fast);
        await cluster.RestartAsync(cancellationToken);
        return cluster;
    }

    /// <summary>The last <paramref name="lines"/> lines of the server log, for error messages.</summary>
    public string ReadLogTail(int lines) => TextTail.LastLinesOfFile(LogFile, lines);

    /// <summary>Stops the server with a fast shutdown and waits until it has exited; does nothing when it is stopped.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => StopAsync(ShutdownMode.Fast, cancellationToken);

    /// <summary>Stops the server with an immediate shutdown (no checkpoint), to simulate a crash; the next start recovers.</summary>
    public Task StopImmediateAsync(CancellationToken cancellationToken) => StopAsync(ShutdownMode.Immediate, cancellationToken);

    /// <summary>Starts the server again, on the same port and sockets; a running server is stopped (fast) first.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_running)
            {
                await StopServerAsync(ShutdownMode.Fast, cancellationToken);
            }

            await _pgCtl.StartAsync(Port, _fast, cancellationToken);
            _running = true;
            SocketAlias.Create(SocketDirectory, Port);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the server (fast shutdown). The data directory stays, for reuse.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task StopAsync(ShutdownMode mode, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_running)
            {
                await StopServerAsync(mode, cancellationToken);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task StopServerAsync(ShutdownMode mode, CancellationToken cancellationToken)
    {
        await _pgCtl.StopAsync(mode, cancellationToken);
        _running = false;

        // After a simulated crash the alias stays, dangling, as it would on a real one.
        if (mode == ShutdownMode.Fast)
        {
            SocketAlias.Remove(SocketDirectory);
        }
    }
}
