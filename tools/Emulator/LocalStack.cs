using InvoiceApi.LocalPostgres;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// What the emulator has started, to stop in reverse order: the functions (SIGTERM, as Cloud Run stops an instance),
/// then PostgreSQL (fast shutdown), then the single-instance lock. Disposing it stops everything, however the run ended.
/// </summary>
internal sealed class LocalStack(EmulatorConsole console) : IAsyncDisposable
{
    private static readonly TimeSpan ProbeRequestTimeout = TimeSpan.FromSeconds(2);
    private readonly List<RunningFunction> _functions = [];
    private SingleInstanceLock? _instanceLock;
    private PostgresCluster? _cluster;
    private DashboardSite? _dashboard;

    internal IReadOnlyList<RunningFunction> Functions => _functions;

    /// <summary>The dashboard page's address once it is served; null before.</summary>
    internal Uri? DashboardUrl { get; private set; }

    internal void Hold(SingleInstanceLock instanceLock) => _instanceLock = instanceLock;

    internal void Add(PostgresCluster cluster) => _cluster = cluster;

    internal void Add(RunningFunction function) => _functions.Add(function);

    internal void Add(DashboardSite dashboard)
    {
        _dashboard = dashboard;
        DashboardUrl = dashboard.Url;
    }

    /// <summary>Waits, function by function, until each answers GET /readyz with 200.</summary>
    /// <exception cref="EmulatorFailure">One exited or was not ready within 20 s.</exception>
    internal async Task WaitUntilReadyAsync(StopSignal stop)
    {
        using var client = new HttpClient { Timeout = ProbeRequestTimeout };
        foreach (var function in _functions)
        {
            await ReadinessProbe.WaitAsync(function, client, stop);
        }
    }

    /// <summary>Waits for a stop request (exit code 0) or a function that dies on its own (exit code 1).</summary>
    /// <exception cref="EmulatorFailure">A function exited although nobody asked it to.</exception>
    internal async Task WatchAsync(StopSignal stop)
    {
        var firstExit = Task.WhenAny(_functions.Select(function => function.Exited));
        if (await Task.WhenAny(firstExit, stop.WaitAsync()) != firstExit)
        {
            return;
        }
        var exited = await await firstExit;
        await stop.ThrowIfRequestedWithinGraceAsync();
        throw new EmulatorFailure(ExitCodes.Failed,
            $"{exited.Function.ServiceName} exited on its own with code {exited.ExitCode}; stopping everything.\n{exited.TailReport()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
        if (_cluster is not null || _functions.Count > 0)
        {
            console.Info("stopping...");
            await Task.WhenAll(_functions.Select(function => function.DisposeAsync().AsTask()));
            if (_cluster is not null)
            {
                await StopClusterAsync(_cluster);
            }
            console.Info("stopped");
        }
        _instanceLock?.Dispose();
    }

    private async Task StopClusterAsync(PostgresCluster cluster)
    {
        try
        {
            await cluster.StopAsync(CancellationToken.None);
        }
        catch (InvalidOperationException exception)
        {
            console.Problem($"PostgreSQL did not stop cleanly; the next run recovers it.\n{exception.Message}");
        }
    }
}
