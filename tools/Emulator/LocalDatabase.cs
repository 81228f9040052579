using InvoiceApi.Data.Connection;
using InvoiceApi.LocalPostgres;
using Npgsql;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Makes sure, as the cluster's superuser, that the login role <c>invoices_owner</c> and the database <c>invoices</c>
/// (owned by it) exist. The role's password is kept next to the data (mode 0600) and reused on later runs.
/// </summary>
internal static class LocalDatabase
{
    internal const string OwnerRole = "invoices_owner";
    internal const string DatabaseName = "invoices";
    private const string PasswordFileName = OwnerRole + ".password";

    /// <exception cref="EmulatorFailure">The superuser could not connect or a statement failed (exit code 3).</exception>
    internal static async Task<DatabaseLogin> EnsureAsync(PostgresCluster cluster, DataLocation location, CancellationToken cancellationToken)
    {
        var password = PasswordFile.ReadOrCreate(Path.Join(location.Folder, PasswordFileName));
        var superUser = new DatabaseEndpoint(cluster.SocketDirectory, cluster.Port, "postgres", cluster.SuperUser, cluster.SuperUserPassword, "the local cluster's superuser");
        var options = new DatabasePoolOptions(1, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), "emulator");
        await using var dataSource = DataSourceFactory.Create(superUser, options);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await EnsureRoleAsync(connection, password, cancellationToken);
            await EnsureDatabaseAsync(connection, cancellationToken);
        }
        catch (NpgsqlException exception)
        {
            throw new EmulatorFailure(ExitCodes.Database, $"Could not create the role {OwnerRole} and the database {DatabaseName} as {superUser}: {exception.Message}");
        }
        return new DatabaseLogin(OwnerRole, password, DatabaseName);
    }

    // The password is (re)set on every run, so a role whose password file was lost gets the new one. CREATEROLE, as
    // Cloud SQL's postgres user has: the row-level security migration creates the group role invoice_api_runtime.
    private static async Task EnsureRoleAsync(NpgsqlConnection connection, string password, CancellationToken cancellationToken)
    {
        var verb = await RoleStatements.RoleExistsAsync(connection, OwnerRole, cancellationToken) ? "ALTER" : "CREATE";
        await RoleStatements.ExecuteAsync(connection, $"{verb} ROLE {OwnerRole} WITH LOGIN CREATEROLE PASSWORD {RoleStatements.QuoteLiteral(password)}", cancellationToken);
    }

    private static async Task EnsureDatabaseAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await RoleStatements.ExistsAsync(connection, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", DatabaseName, cancellationToken))
        {
            await RoleStatements.ExecuteAsync(connection, $"ALTER DATABASE {DatabaseName} OWNER TO {OwnerRole}", cancellationToken);
            return;
        }
        await RoleStatements.ExecuteAsync(connection, $"CREATE DATABASE {DatabaseName} OWNER {OwnerRole}", cancellationToken);
    }
}
