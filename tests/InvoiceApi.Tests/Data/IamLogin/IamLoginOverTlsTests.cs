using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using InvoiceApi.Data.Connection;
using InvoiceApi.LocalPostgres;
using Npgsql;

namespace InvoiceApi.Tests.Data.IamLogin;

/// <summary>
/// A private PostgreSQL that speaks TLS: a self-signed certificate for 127.0.0.1 (as Cloud SQL's server certificate is to
/// a client that does not verify it, sslmode=require) and TCP lines in pg_hba.conf that accept TLS connections only.
/// The suite's cluster does not speak TLS: turning it on would change every other TCP test.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // PostgreSQL here runs as a Unix account.
public sealed class TlsCluster : IAsyncLifetime
{
    private readonly string _workDirectory = Path.Combine("/tmp", "ivtls-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    public PostgresCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        Cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions
        {
            DataDirectory = Path.Combine(_workDirectory, "data"),
            SocketRoot = Path.Combine(_workDirectory, "cloudsql"),
            InstanceConnectionName = "tls-project:local:invoices",
        }, CancellationToken.None);
        await TurnOnTlsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Cluster.DisposeAsync();
        Directory.Delete(_workDirectory, recursive: true);
    }

    /// <summary>The deploy's variables for a TCP login to the maintenance database, as through a private IP.</summary>
    public Dictionary<string, string?> TcpVariables(string user) => new()
    {
        ["INSTANCE_HOST"] = "127.0.0.1",
        ["DB_PORT"] = Cluster.Port.ToString(CultureInfo.InvariantCulture),
        ["DB_USER"] = user,
        ["DB_NAME"] = "postgres",
    };

    public async Task ExecuteAsync(string sql)
    {
        await using var admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
        {
            Host = Cluster.SocketDirectory, Username = Cluster.SuperUser, Password = Cluster.SuperUserPassword, Database = "postgres", Pooling = false,
        }.ConnectionString);
        await using var command = admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    // The key readable by the server's account only: PostgreSQL refuses a key others can read.
    private async Task TurnOnTlsAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificateFile = Path.Combine(Cluster.DataDirectory, "server.crt");
        var keyFile = Path.Combine(Cluster.DataDirectory, "server.key");
        var hbaFile = Path.Combine(Cluster.DataDirectory, "pg_hba.conf");
        await File.WriteAllTextAsync(certificateFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var hba = await File.ReadAllLinesAsync(hbaFile);
        await File.WriteAllLinesAsync(hbaFile, hba.Select(line => line.StartsWith("host ", StringComparison.Ordinal) ? "hostssl" + line[4..] : line));
        if (Environment.UserName == "root")
        {
            // The server runs as postgres here (initdb refuses root), and must own the files it reads.
            using var chown = Process.Start("chown", ["postgres:postgres", certificateFile, keyFile, hbaFile]);
            await chown.WaitForExitAsync();
            if (chown.ExitCode != 0)
            {
                throw new InvalidOperationException($"chown of the TLS files failed with exit code {chown.ExitCode}.");
            }
        }
        await ExecuteAsync("ALTER SYSTEM SET ssl = on");
        // A restart, not a reload: the test must not race the reload's arrival at the postmaster.
        await Cluster.RestartAsync(CancellationToken.None);
    }
}

/// <summary>
/// Logins over TCP, as through a private IP or the Auth Proxy's port, against a server that accepts TLS only: IAM login
/// requires TLS there (the token is the password), and a password login asks for it by default.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class IamLoginOverTlsTests(TlsCluster tls) : IClassFixture<TlsCluster>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Over_tcp_an_iam_login_sends_its_token_inside_tls_and_logs_in()
    {
        var token = IamLab.NewToken();
        await using var metadata = await MetadataServerStandIn.StartAsync(token);
        await tls.ExecuteAsync($"CREATE ROLE \"invoice-api-tls@proj.iam\" LOGIN PASSWORD '{token}'");
        var variables = tls.TcpVariables("invoice-api-tls@proj.iam");
        variables["DB_IAM_AUTH"] = "true";
        variables["GCE_METADATA_HOST"] = metadata.Host;

        var (user, encrypted, sslMode) = await LogInAsync(variables);

        Assert.Equal(SslMode.Require, sslMode);
        Assert.Equal("invoice-api-tls@proj.iam", user);
        Assert.True(encrypted, "the IAM login's connection is not encrypted");
        Assert.Contains(metadata.Requests, request => request.Token == token);
    }

    [Fact]
    public async Task Over_tcp_a_password_login_uses_tls_when_the_server_offers_it()
    {
        await tls.ExecuteAsync("CREATE ROLE tls_password_app LOGIN PASSWORD 'tls-password-7'");
        var variables = tls.TcpVariables("tls_password_app");
        variables["DB_PASS"] = "tls-password-7";

        var (user, encrypted, sslMode) = await LogInAsync(variables);

        Assert.Null(sslMode);
        Assert.Equal("tls_password_app", user);
        Assert.True(encrypted, "the password login's connection is not encrypted");
    }

    private static async Task<(string User, bool Encrypted, SslMode? SslMode)> LogInAsync(Dictionary<string, string?> variables)
    {
        var endpoint = DatabaseEndpointResolver.Resolve(variables.GetValueOrDefault);
        var options = DatabasePoolOptions.Read(_ => null, "tls-test");
        await using var dataSource = DataSourceFactory.Create(endpoint, options);
        await using var connection = await new DatabaseConnector(dataSource, endpoint, options).OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
        await using var reader = await command.ExecuteReaderAsync(Token);
        Assert.True(await reader.ReadAsync(Token));
        return (reader.GetString(0), reader.GetBoolean(1), endpoint.SslMode);
    }
}
