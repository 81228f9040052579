using InvoiceApi.Data.Connection;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.Data;

/// <summary>Every way the resolver can reach the database really connects, over the transport it claims.</summary>
public sealed class ConnectionFormsTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Instance_connection_name_connects_over_the_cloudsql_socket()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        var variables = database.SocketVariables();

        var endpoint = Resolve(variables);
        var (viaSocket, name) = await ConnectAsync(endpoint);

        Assert.Equal($"{variables["INSTANCE_UNIX_SOCKET"]}/{variables["INSTANCE_CONNECTION_NAME"]}", endpoint.Host);
        Assert.Equal(5432, endpoint.Port);
        Assert.True(viaSocket);
        Assert.Equal(database.Name, name);
    }

    [Fact]
    public async Task Instance_host_connects_over_tcp()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);

        var (viaSocket, name) = await ConnectAsync(Resolve(database.TcpVariables()));

        Assert.False(viaSocket);
        Assert.Equal(database.Name, name);
    }

    [Fact]
    public async Task Database_url_connects_over_tcp()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);

        var (viaSocket, name) = await ConnectAsync(Resolve(database.UrlVariables()));

        Assert.False(viaSocket);
        Assert.Equal(database.Name, name);
    }

    [Fact]
    public async Task Database_url_with_host_query_connects_over_the_socket()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);

        var endpoint = Resolve(database.SocketUrlVariables());
        var (viaSocket, name) = await ConnectAsync(endpoint);

        Assert.True(endpoint.IsUnixSocket);
        Assert.True(viaSocket);
        Assert.Equal(database.Name, name);
    }

    [Fact]
    public async Task Options_reach_every_session_as_server_settings()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        var variables = database.SocketVariables();
        variables["DB_STATEMENT_TIMEOUT_MS"] = "7000";
        variables["DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"] = "3000";
        var endpoint = Resolve(variables);
        var options = DatabasePoolOptions.Read(variables.GetValueOrDefault, "settings-test");
        await using var dataSource = DataSourceFactory.Create(endpoint, options);
        await using var connection = await new DatabaseConnector(dataSource, endpoint, options).OpenAsync(Token);

        await using var command = new NpgsqlCommand(
            "SELECT current_setting('statement_timeout'), current_setting('idle_in_transaction_session_timeout'), current_setting('application_name')", connection);
        await using var reader = await command.ExecuteReaderAsync(Token);
        await reader.ReadAsync(Token);

        Assert.Equal("7s", reader.GetString(0));
        Assert.Equal("3s", reader.GetString(1));
        Assert.Equal("settings-test", reader.GetString(2));
    }

    private static DatabaseEndpoint Resolve(Dictionary<string, string?> variables) =>
        DatabaseEndpointResolver.Resolve(variables.GetValueOrDefault);

    // inet_server_addr() is NULL exactly when the session came in over a Unix socket.
    private static async Task<(bool ViaSocket, string Database)> ConnectAsync(DatabaseEndpoint endpoint)
    {
        var options = DatabasePoolOptions.Read(_ => null, "connection-forms-test");
        await using var dataSource = DataSourceFactory.Create(endpoint, options);
        await using var connection = await new DatabaseConnector(dataSource, endpoint, options).OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT inet_server_addr() IS NULL, current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync(Token);
        await reader.ReadAsync(Token);
        return (reader.GetBoolean(0), reader.GetString(1));
    }
}
