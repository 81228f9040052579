using System.Globalization;
using System.Security.Cryptography;
using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Migrations;
using InvoiceApi.LocalPostgres;
using Npgsql;

[assembly: AssemblyFixture(typeof(InvoiceApi.Tests.Infrastructure.PostgresServer))]

namespace InvoiceApi.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL every test runs against: a private cluster started from the machine's binaries, with its socket
/// laid out like Cloud Run's <c>/cloudsql/&lt;instance&gt;</c>, or the server named by <c>TEST_DATABASE_URL</c>.
/// Each test gets a database of its own, so no test sees another's rows.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string TemplateDatabase = "invoiceapi_migrated_template";

    /// <summary>The LOGIN role the functions run as in tests: a member of invoice_api_runtime, owning nothing.</summary>
    public const string RuntimeUser = "invoice_api_test_app";
    private readonly List<string> _databases = [];
    private string? _workDirectory;

    /// <summary>The private cluster, or null when TEST_DATABASE_URL is used.</summary>
    public PostgresCluster? Cluster { get; private set; }

    /// <summary>A superuser endpoint on the maintenance database.</summary>
    public DatabaseEndpoint Admin { get; private set; } = null!;

    /// <summary>The INSTANCE_UNIX_SOCKET value and instance name, when the server is reachable over a socket.</summary>
    public (string Root, string Instance)? Socket { get; private set; }

    /// <summary>The TCP host and port, when the server is reachable over TCP.</summary>
    public (string Host, int Port)? Tcp { get; private set; }

    /// <summary>The password of <see cref="RuntimeUser"/>, new for each run.</summary>
    public string RuntimePassword { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);

    public async ValueTask InitializeAsync()
    {
        var url = Environment.GetEnvironmentVariable("TEST_DATABASE_URL");
        if (!string.IsNullOrWhiteSpace(url))
        {
            UseExistingServer(url);
        }
        else
        {
            await StartPrivateClusterAsync();
        }
        await CreateTemplateAsync();
        await CreateRuntimeLoginAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var database in _databases)
        {
            // A shared server (TEST_DATABASE_URL) keeps nothing of ours behind.
            await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
        }
        if (Cluster is null)
        {
            // Owns nothing and its grants went with the databases, so it drops cleanly.
            await ExecuteAdminAsync($"DROP ROLE IF EXISTS {RuntimeUser}", CancellationToken.None);
        }
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
        if (_workDirectory is not null)
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
    }

    /// <summary>Creates an empty database, or one with every migration applied, owned by this test alone.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync(bool migrated, CancellationToken cancellationToken)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAdminAsync($"CREATE DATABASE {name} TEMPLATE {(migrated ? TemplateDatabase : "template0")}", cancellationToken);
        lock (_databases)
        {
            _databases.Add(name);
        }
        return new TestDatabase(this, name);
    }

    /// <summary>Runs one statement on the maintenance database as the superuser.</summary>
    public async Task ExecuteAdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var dataSource = AdminDataSource(Admin.Database);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>An unpooled superuser data source for <paramref name="database"/>: inspection and setup, never the code under test.</summary>
    public NpgsqlDataSource AdminDataSource(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Admin.Host, Port = Admin.Port, Username = Admin.User, Password = Admin.Password, Database = database,
            Pooling = false, SslMode = SslMode.Disable,
            // Seeds copy tens of thousands of rows through the rollup and history triggers; on a busy CI machine that
            // has taken longer than Npgsql's default 30 s, failing a test before it tested anything.
            CommandTimeout = 300,
        };
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    private void UseExistingServer(string url)
    {
        Admin = DatabaseEndpointResolver.Resolve(name => name == "DATABASE_URL" ? url : null);
        if (Admin.IsUnixSocket)
        {
            Socket = (Path.GetDirectoryName(Admin.Host)!, Path.GetFileName(Admin.Host));
        }
        else
        {
            Tcp = (Admin.Host, Admin.Port);
        }
    }

    private async Task StartPrivateClusterAsync()
    {
        // Short and under /tmp: a Unix socket path must stay under 108 bytes, and the postgres account must reach it.
        _workDirectory = Path.Combine("/tmp", "ivt-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        Cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions
        {
            DataDirectory = Path.Combine(_workDirectory, "data"),
            SocketRoot = Path.Combine(_workDirectory, "cloudsql"),
            InstanceConnectionName = "test-project:local:invoices",
        }, CancellationToken.None);
        Socket = (Cluster.SocketRoot, Cluster.InstanceConnectionName);
        Tcp = ("127.0.0.1", Cluster.Port);
        Admin = new DatabaseEndpoint(Cluster.SocketDirectory, 5432, "postgres", Cluster.SuperUser, Cluster.SuperUserPassword, "test cluster");
    }

    private async Task CreateTemplateAsync()
    {
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {TemplateDatabase}", CancellationToken.None);
        await ExecuteAdminAsync($"CREATE DATABASE {TemplateDatabase} TEMPLATE template0", CancellationToken.None);
        // Unpooled, so no idle connection blocks CREATE DATABASE ... TEMPLATE later.
        await using var dataSource = AdminDataSource(TemplateDatabase);
        await new Migrator(dataSource).MigrateAsync(CancellationToken.None);
        _databases.Add(TemplateDatabase);
    }

    // Roles belong to the cluster: created once, after the migration has created the group role it joins.
    private async Task CreateRuntimeLoginAsync()
    {
        await using var dataSource = AdminDataSource(Admin.Database);
        await using var exists = dataSource.CreateCommand($"SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{RuntimeUser}')");
        var verb = await exists.ExecuteScalarAsync(CancellationToken.None) is true ? "ALTER" : "CREATE";
        // Role DDL takes no parameters; the password is hex, so it needs no quoting.
        await ExecuteAdminAsync($"{verb} ROLE {RuntimeUser} WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{RuntimePassword}'", CancellationToken.None);
        await ExecuteAdminAsync($"GRANT invoice_api_runtime TO {RuntimeUser}", CancellationToken.None);
    }
}
