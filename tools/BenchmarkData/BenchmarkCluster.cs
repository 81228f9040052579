using System.Globalization;
using InvoiceApi.LocalPostgres;
using Npgsql;

namespace InvoiceApi.Tools.BenchmarkData;

/// <summary>
/// The benchmarks' private PostgreSQL: kept in the directory an environment variable names (loaded once, reused by
/// later runs), or a throwaway one under /tmp removed when disposed.
/// </summary>
public sealed class BenchmarkCluster : IAsyncDisposable
{
    private readonly bool _kept;

    private BenchmarkCluster(string workDirectory, bool kept, PostgresCluster cluster)
    {
        WorkDirectory = workDirectory;
        _kept = kept;
        Cluster = cluster;
    }

    /// <summary>Where the cluster, keys and scratch files live.</summary>
    public string WorkDirectory { get; }

    /// <summary>The running server.</summary>
    public PostgresCluster Cluster { get; }

    /// <summary>Starts the cluster in <c>$<paramref name="keepVariable"/></c> when set, else in <c>/tmp/&lt;prefix&gt;-&lt;pid&gt;</c>.</summary>
    public static async Task<BenchmarkCluster> StartAsync(string keepVariable, string prefix, CancellationToken cancellationToken)
    {
        var kept = Environment.GetEnvironmentVariable(keepVariable);
        var work = kept is { Length: > 0 } ? Path.GetFullPath(kept) : Path.Combine("/tmp", prefix + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(work);
        var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions
        {
            DataDirectory = Path.Combine(work, "data"), SocketRoot = Path.Combine(work, "cloudsql"), InstanceConnectionName = "bench:local:invoices",
        }, cancellationToken);
        return new BenchmarkCluster(work, kept is { Length: > 0 }, cluster);
    }

    /// <summary>A data source on <paramref name="database"/> over the Unix socket, without a command timeout (loads take minutes).</summary>
    public NpgsqlDataSource DataSource(string database, string user, string password) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
        {
            Host = Cluster.SocketDirectory, Port = 5432, Database = database, Username = user, Password = password, SslMode = SslMode.Disable,
            CommandTimeout = 0,
        }.ConnectionString);

    /// <summary>A superuser data source on <paramref name="database"/>.</summary>
    public NpgsqlDataSource AdminDataSource(string database) => DataSource(database, Cluster.SuperUser, Cluster.SuperUserPassword);

    /// <summary>Stops the server; a throwaway cluster's directory is removed.</summary>
    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAsync(CancellationToken.None);
        await Cluster.DisposeAsync();
        if (!_kept)
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }
}
