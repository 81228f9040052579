using System.Security.Cryptography;

namespace InvoiceApi.Tests.Infrastructure;

/// <summary>
/// A LOGIN role of one test's own (roles belong to the whole cluster), with the variables that log a function in as
/// it; disposing drops what it owns in the test's database and then the role.
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
            await using var command = admin.CreateCommand($"DROP OWNED BY {Name}");
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        await _database.Server.ExecuteAdminAsync($"DROP ROLE {Name}", CancellationToken.None);
    }
}
