using System.Security.Cryptography;
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
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <exception cref="EmulatorFailure">The superuser could not connect or a statement failed (exit code 3).</exception>
    internal static async Task<DatabaseLogin> EnsureAsync(PostgresCluster cluster, DataLocation location, CancellationToken cancellationToken)
    {
        var password = ReadOrCreatePassword(Path.Join(location.Folder, PasswordFileName));
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

    private static string ReadOrCreatePassword(string path)
    {
        var stored = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
        if (stored.Length > 0)
        {
            return stored;
        }
        // PostgresCluster has already refused anything but Linux; this tells the platform analyzer so.
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The emulator runs on Linux only.");
        }
        var password = RandomNumberGenerator.GetHexString(32, lowercase: true);
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite };
        using var writer = new StreamWriter(path, options);
        writer.WriteLine(password);
        return password;
    }

    // The password is (re)set on every run, so a role whose password file was lost gets the new one.
    private static async Task EnsureRoleAsync(NpgsqlConnection connection, string password, CancellationToken cancellationToken)
    {
        var verb = await ExistsAsync(connection, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", OwnerRole, cancellationToken) ? "ALTER" : "CREATE";
        // Role DDL takes no parameters; the literal is quoted as PostgreSQL quotes it.
        await ExecuteAsync(connection, $"{verb} ROLE {OwnerRole} WITH LOGIN PASSWORD {QuoteLiteral(password)}", cancellationToken);
    }

    private static async Task EnsureDatabaseAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(connection, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", DatabaseName, cancellationToken))
        {
            await ExecuteAsync(connection, $"ALTER DATABASE {DatabaseName} OWNER TO {OwnerRole}", cancellationToken);
            return;
        }
        await ExecuteAsync(connection, $"CREATE DATABASE {DatabaseName} OWNER {OwnerRole}", cancellationToken);
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string sql, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter<string> { TypedValue = name } } };
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string QuoteLiteral(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
