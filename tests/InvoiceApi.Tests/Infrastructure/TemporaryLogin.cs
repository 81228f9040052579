using System.Security.Cryptography;

namespace InvoiceApi.Tests.Infrastructure;

/// <summary>
/// A LOGIN role of one test's own (roles belong to the whole cluster), with the variables that log a function in as
/// it; disposing hands what it owns back to the superuser, drops its grants, then drops the role.
/// </summary>
public sealed class TemporaryLogin : IAsyncDisposable
{
    private readonly TestDatabase _database;

    private TemporaryLogin(TestDatabase database, string name, string password)
    {
        _database = database;
        Name = name;
        Password = password;
    }

    public string Name { get; }

    public string Password { get; }

    /// <summary>Creates the role with <paramref name="attributes"/> (for example <c>BYPASSRLS IN ROLE invoice_api_runtime</c>).</summary>
    public static async Task<TemporaryLogin> CreateAsync(TestDatabase database, string attributes, CancellationToken cancellationToken)
    {
        var name = "login_" + Guid.NewGuid().ToString("N")[..12];
        var password = RandomNumberGenerator.GetHexString(24, lowercase: true);
        await database.Server.ExecuteAdminAsync($"CREATE ROLE {name} LOGIN PASSWORD '{password}' {attributes}", cancellationToken);
        return new TemporaryLogin(database, name, password);
    }

    /// <summary>An unpooled connection to the test's database as this role.</summary>
    public Npgsql.NpgsqlDataSource DataSource()
    {
        var endpoint = _database.Endpoint();
        var builder = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = endpoint.Host, Port = endpoint.Port, Username = Name, Password = Password, Database = _database.Name,
            Pooling = false, SslMode = Npgsql.SslMode.Disable,
        };
        return Npgsql.NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The socket variables of the test's database, logged in as this role.</summary>
    public Dictionary<string, string?> SocketVariables()
    {
        var variables = _database.SocketVariables();
        variables["DB_USER"] = Name;
        variables["DB_PASS"] = Password;
        return variables;
    }

    public async ValueTask DisposeAsync()
    {
        await using (var admin = _database.AdminDataSource())
        {
            // REASSIGN also covers a database it owns; DROP OWNED then removes its remaining grants.
            await using var command = admin.CreateCommand($"REASSIGN OWNED BY {Name} TO CURRENT_USER; DROP OWNED BY {Name}");
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        await _database.Server.ExecuteAdminAsync($"DROP ROLE {Name}", CancellationToken.None);
    }
}
