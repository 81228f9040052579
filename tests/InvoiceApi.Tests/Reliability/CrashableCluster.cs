using System.Globalization;
using System.Security.Cryptography;
using InvoiceApi.Data.Migrations;
using InvoiceApi.LocalPostgres;
using Npgsql;

namespace InvoiceApi.Tests.Reliability;

/// <summary>The tests that crash PostgreSQL share one private cluster, one test at a time, never the suite's server.</summary>
[CollectionDefinition(Name)]
public sealed class CrashableClusterGroup : ICollectionFixture<CrashableCluster>
{
    public const string Name = "crashable cluster";
}

/// <summary>
/// A PostgreSQL cluster of its own that tests may stop with an immediate shutdown and start again, laid out like Cloud
/// Run's socket, with a migrated database per test and a runtime login that row-level security holds.
/// </summary>
public sealed class CrashableCluster : IAsyncLifetime
{
    public const string RuntimeUser = "invoice_api_crash_app";
    private string _workDirectory = null!;

    public PostgresCluster Cluster { get; private set; } = null!;

    public string RuntimePassword { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);

    public async ValueTask InitializeAsync()
    {
        // Short and under /tmp: a Unix socket path must stay under 108 bytes, and the postgres account must reach it.
        _workDirectory = Path.Combine("/tmp", "ivc-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        Cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions
        {
            DataDirectory = Path.Combine(_workDirectory, "data"),
            SocketRoot = Path.Combine(_workDirectory, "cloudsql"),
            InstanceConnectionName = "crash-project:local:invoices",
        }, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Cluster.DisposeAsync();
        Directory.Delete(_workDirectory, recursive: true);
    }

    /// <summary>A new database with every migration applied, and the runtime login allowed into it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "crash_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync("postgres", $"CREATE DATABASE {name}", cancellationToken);
        await using (var dataSource = AdminDataSource(name))
        {
            await new Migrator(dataSource).MigrateAsync(cancellationToken);
        }
        // The group role exists once the first migration ran; the login is cluster-wide, so it is created once.
        await ExecuteAsync("postgres", $"""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{RuntimeUser}') THEN
                    CREATE ROLE {RuntimeUser} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{RuntimePassword}' IN ROLE invoice_api_runtime;
                END IF;
            END $$
            """, cancellationToken);
        return name;
    }

    /// <summary>The variables Cloud Run would give a function for <paramref name="database"/>, as the runtime login.</summary>
    public Dictionary<string, string?> RuntimeVariables(string database) => new()
    {
        ["INSTANCE_CONNECTION_NAME"] = Cluster.InstanceConnectionName,
        ["INSTANCE_UNIX_SOCKET"] = Cluster.SocketRoot,
        ["DB_USER"] = RuntimeUser,
        ["DB_PASS"] = RuntimePassword,
        ["DB_NAME"] = database,
    };

    /// <summary>An unpooled superuser data source for <paramref name="database"/>, for setup and inspection only.</summary>
    public NpgsqlDataSource AdminDataSource(string database) => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
    {
        Host = Cluster.SocketDirectory, Port = Cluster.Port, Username = Cluster.SuperUser, Password = Cluster.SuperUserPassword,
        Database = database, Pooling = false, SslMode = SslMode.Disable,
    }.ConnectionString);

    public async Task ExecuteAsync(string database, string sql, CancellationToken cancellationToken)
    {
        await using var dataSource = AdminDataSource(database);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
