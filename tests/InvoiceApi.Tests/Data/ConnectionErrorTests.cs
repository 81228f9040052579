using System.Diagnostics;
using InvoiceApi.Data.Connection;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.Data;

/// <summary>Each way of getting the connection wrong ends in a message that says what was tried and what to do.</summary>
public sealed class ConnectionErrorTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Missing_socket_directory_names_the_path_and_the_deploy_flag()
    {
        var variables = new Dictionary<string, string?>
        {
            ["INSTANCE_CONNECTION_NAME"] = "acme-prod:us-central1:ledger",
            ["INSTANCE_UNIX_SOCKET"] = "/tmp/no-such-cloudsql-" + Guid.NewGuid().ToString("N")[..8],
            ["DB_USER"] = "app",
            ["DB_PASS"] = "hunter2-secret",
            ["DB_NAME"] = "invoices",
        };

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => OpenAsync(variables));

        Assert.Contains($"{variables["INSTANCE_UNIX_SOCKET"]}/acme-prod:us-central1:ledger does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("--add-cloudsql-instances acme-prod:us-central1:ledger", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Wrong_password_names_user_database_and_socket_but_not_the_password()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        var variables = database.SocketVariables();
        variables["DB_PASS"] = "wrong-password-7f3a";
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => OpenAsync(variables));

        Assert.Contains($"user '{variables["DB_USER"]}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"database '{database.Name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Unix socket {variables["INSTANCE_UNIX_SOCKET"]}/{variables["INSTANCE_CONNECTION_NAME"]}", error.Message, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("DB_PASS", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-7f3a", error.ToString(), StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        // A refused login is not retried: retrying cannot fix a wrong password.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Wrong_password_over_tcp_names_host_and_port()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        var variables = database.TcpVariables();
        variables["DB_PASS"] = "wrong-password-7f3a";

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => OpenAsync(variables));

        Assert.Contains($"TCP {variables["INSTANCE_HOST"]}:{variables["DB_PORT"]}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-7f3a", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_is_retried_within_the_open_timeout_then_reported_as_transient()
    {
        var variables = new Dictionary<string, string?>
        {
            ["INSTANCE_HOST"] = "127.0.0.1", ["DB_PORT"] = "1", ["DB_USER"] = "app", ["DB_NAME"] = "invoices",
            ["DB_OPEN_TIMEOUT_SECONDS"] = "1",
        };
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => OpenAsync(variables));

        Assert.True(error.IsTransient);
        Assert.Contains("TCP 127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"after [2-9]\d* attempt", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public void No_environment_lists_every_variable_read()
    {
        var error = Assert.Throws<DatabaseConfigurationException>(() => DatabaseEndpointResolver.Resolve(_ => null));

        foreach (var variable in DatabaseEndpointResolver.Variables)
        {
            Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("INSTANCE_CONNECTION_NAME", "just-a-name", "project:region:instance")]
    [InlineData("INSTANCE_HOST", "db.internal", "DB_USER and DB_NAME")]
    [InlineData("DATABASE_URL", "mysql://u:p@h/db", "postgresql://")]
    [InlineData("DATABASE_URL", "postgresql://u:p@h:99999/db", "port")]
    [InlineData("DATABASE_URL", "postgresql://u:p@/db", "host")]
    public void Inconsistent_settings_say_what_to_fix(string variable, string value, string expected)
    {
        var error = Assert.Throws<DatabaseConfigurationException>(
            () => DatabaseEndpointResolver.Resolve(name => name == variable ? value : null));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":p@", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://app:Zm9vQk/YmFyQk@10.0.0.5/db")]
    [InlineData("postgresql://app:Zm9vQk?YmFyQk@10.0.0.5/db")]
    [InlineData("postgresql://app:Zm9vQk#YmFyQk@10.0.0.5/db")]
    [InlineData("postgresql://app:5432/YmFyQk@10.0.0.5/db")]
    [InlineData("postgresql://app:Zm9vQk@10.0.0.5:YmFyQk/db")]
    public void A_password_that_breaks_the_url_is_never_echoed(string url)
    {
        var error = Assert.Throws<DatabaseConfigurationException>(() => DatabaseEndpointResolver.Resolve(name => name == "DATABASE_URL" ? url : null));

        Assert.Contains("percent-encode", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Zm9vQk", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("YmFyQk", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://app:Zm9v%2FYmFy%3F%40@10.0.0.5/db", "app", "Zm9v/YmFy?@", "10.0.0.5")]
    [InlineData("postgresql://@/db?host=/cloudsql/p:r:i&user=sa@project.iam", "sa@project.iam", null, "/cloudsql/p:r:i")]
    public void An_encoded_password_and_an_at_sign_in_a_query_value_are_read(string url, string user, string? password, string host)
    {
        var endpoint = DatabaseEndpointResolver.Resolve(name => name == "DATABASE_URL" ? url : null);

        Assert.Equal((user, password, host, "db"), (endpoint.User, endpoint.Password, endpoint.Host, endpoint.Database));
    }

    [Theory]
    [InlineData("postgresql://u:p@db.internal/db", "Prefer")]
    [InlineData("postgresql://u:p@db.internal/db?sslmode=require", "Require")]
    [InlineData("postgresql://u:p@db.internal/db?sslmode=verify-full", "VerifyFull")]
    [InlineData("postgresql://u:p@/db?host=/cloudsql/p:r:i", "Disable")]
    [InlineData("postgresql://u:p@/db?host=/cloudsql/p:r:i&sslmode=require", "Require")]
    public void Sslmode_in_the_url_reaches_the_connection(string url, string expected)
    {
        var endpoint = DatabaseEndpointResolver.Resolve(name => name == "DATABASE_URL" ? url : null);
        var options = new DatabasePoolOptions(1, TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.Zero, "test");

        var connection = new Npgsql.NpgsqlConnectionStringBuilder(DataSourceFactory.ConnectionString(endpoint, options));

        Assert.Equal(expected, connection.SslMode.ToString());
    }

    [Fact]
    public void An_unknown_sslmode_is_refused_with_the_known_ones()
    {
        var error = Assert.Throws<DatabaseConfigurationException>(
            () => DatabaseEndpointResolver.Resolve(name => name == "DATABASE_URL" ? "postgresql://u:p@h/db?sslmode=always" : null));

        Assert.Contains("disable, allow, prefer, require, verify-ca or verify-full", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Google_sample_style_full_socket_path_is_accepted()
    {
        var endpoint = DatabaseEndpointResolver.Resolve(name => name switch
        {
            "INSTANCE_CONNECTION_NAME" => "p:r:i",
            "INSTANCE_UNIX_SOCKET" => "/cloudsql/p:r:i",
            "DB_USER" => "u",
            "DB_NAME" => "d",
            _ => null,
        });

        Assert.Equal("/cloudsql/p:r:i", endpoint.Host);
    }

    [Fact]
    public void Instance_connection_name_wins_over_host_and_url()
    {
        var endpoint = DatabaseEndpointResolver.Resolve(name => name switch
        {
            "INSTANCE_CONNECTION_NAME" => "p:r:i",
            "INSTANCE_HOST" => "10.0.0.5",
            "DATABASE_URL" => "postgresql://x:y@elsewhere/db",
            "DB_USER" => "u",
            "DB_NAME" => "d",
            _ => null,
        });

        Assert.Equal("/cloudsql/p:r:i", endpoint.Host);
        Assert.Equal("database 'd' as user 'u' over Unix socket /cloudsql/p:r:i", endpoint.ToString());
    }

    private static async Task OpenAsync(Dictionary<string, string?> variables)
    {
        var endpoint = DatabaseEndpointResolver.Resolve(variables.GetValueOrDefault);
        var options = DatabasePoolOptions.Read(variables.GetValueOrDefault, "connection-errors-test");
        await using var dataSource = DataSourceFactory.Create(endpoint, options);
        await using var connection = await new DatabaseConnector(dataSource, endpoint, options).OpenAsync(Token);
    }
}
