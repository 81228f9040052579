using InvoiceApi.Data.Connection;
using InvoiceApi.LocalPostgres;
using Npgsql;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Makes sure the login role <c>invoices_app</c> the functions run as exists: a member of invoice_api_runtime that
/// owns nothing, so row-level security holds every query they send. It is created as the owner, after the migrations,
/// exactly as an operator does it on Cloud SQL; its password is kept next to the owner's.
/// </summary>
internal static class RuntimeLogin
{
    internal const string Role = "invoices_app";
    private const string RuntimeGroupRole = "invoice_api_runtime";
    private const string PasswordFileName = Role + ".password";

    /// <exception cref="EmulatorFailure">The owner could not connect or a statement failed (exit code 3).</exception>
    internal static async Task<DatabaseLogin> EnsureAsync(PostgresCluster cluster, DataLocation location, DatabaseLogin owner, CancellationToken cancellationToken)
    {
        var password = PasswordFile.ReadOrCreate(Path.Join(location.Folder, PasswordFileName));
        var ownerEndpoint = new DatabaseEndpoint(cluster.SocketDirectory, cluster.Port, owner.Database, owner.User, owner.Password, "the schema's owner");
        var options = new DatabasePoolOptions(1, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), "emulator");
        await using var dataSource = DataSourceFactory.Create(ownerEndpoint, options);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var quoted = RoleStatements.QuoteLiteral(password);
            if (await RoleStatements.RoleExistsAsync(connection, Role, cancellationToken))
            {
                // Also repairs a role an older run left with other attributes or outside the group.
                await RoleStatements.ExecuteAsync(connection, $"ALTER ROLE {Role} WITH LOGIN NOCREATEROLE NOCREATEDB PASSWORD {quoted}", cancellationToken);
                await RoleStatements.ExecuteAsync(connection, $"GRANT {RuntimeGroupRole} TO {Role}", cancellationToken);
            }
            else
            {
                await RoleStatements.ExecuteAsync(connection, $"CREATE ROLE {Role} WITH LOGIN PASSWORD {quoted} IN ROLE {RuntimeGroupRole}", cancellationToken);
            }
        }
        catch (NpgsqlException exception)
        {
            throw new EmulatorFailure(ExitCodes.Database, $"Could not create the runtime login {Role} as {ownerEndpoint}: {exception.Message}");
        }
        return new DatabaseLogin(Role, password, owner.Database);
    }
}
