using System.Diagnostics;
using Dapper;
using Npgsql;

namespace InvoiceApi.Data.Migrations;

/// <summary>
/// Applies migrations exactly once however many migrators start together: an advisory lock serializes them,
/// each migration runs in its own transaction, and a checksum per applied file refuses edited history.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations)
{
    // Any constant works as long as every migrator of this database uses the same one ("invoice" in ASCII).
    private const long AdvisoryLockKey = 0x696E766F696365;

    /// <summary>A migrator for the migrations embedded in this library.</summary>
    public Migrator(NpgsqlDataSource dataSource)
        : this(dataSource, MigrationCatalog.Embedded)
    {
    }

    /// <summary>Applies every pending migration and returns those it applied (none when up to date).</summary>
    /// <exception cref="MigrationException">An applied file changed, or the database holds a migration this code does not ship.</exception>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await LockAsync(connection, cancellationToken);
        try
        {
            await EnsureHistoryTableAsync(connection, cancellationToken);
            var states = Compare(await ReadAppliedAsync(connection, cancellationToken));
            RefuseBrokenHistory(states);
            var pending = migrations.Where(m => states.Any(s => s.Version == m.Version && s.Status == MigrationStatus.Pending)).ToList();
            foreach (var migration in pending)
            {
                await ApplyAsync(connection, migration, cancellationToken);
            }
            return pending;
        }
        finally
        {
            await UnlockAsync(connection);
        }
    }

    /// <summary>Every shipped and every applied migration with its state, in version order.</summary>
    public async Task<IReadOnlyList<MigrationState>> StatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return Compare(await HistoryExistsAsync(connection, cancellationToken) ? await ReadAppliedAsync(connection, cancellationToken) : []);
    }

    private List<MigrationState> Compare(IReadOnlyList<AppliedMigration> applied)
    {
        var states = migrations.Select(migration =>
        {
            var record = applied.FirstOrDefault(a => a.Version == migration.Version);
            var status = record is null ? MigrationStatus.Pending
                : record.Checksum == migration.Checksum ? MigrationStatus.Applied
                : MigrationStatus.Changed;
            return new MigrationState(migration.Version, migration.Name, status, record?.AppliedAt);
        });
        var unknown = applied.Where(a => migrations.All(m => m.Version != a.Version))
            .Select(a => new MigrationState(a.Version, a.Name, MigrationStatus.Unknown, a.AppliedAt));
        return states.Concat(unknown).OrderBy(state => state.Version).ToList();
    }

    private static void RefuseBrokenHistory(List<MigrationState> states)
    {
        var changed = states.Where(s => s.Status == MigrationStatus.Changed).Select(s => s.Name).ToList();
        if (changed.Count > 0)
        {
            throw new MigrationException(
                $"Applied migration file(s) changed since they were applied: {string.Join(", ", changed)}. "
                + "Applied migrations are immutable: restore the file as it was and put the change in a new migration.");
        }
        var unknown = states.Where(s => s.Status == MigrationStatus.Unknown).Select(s => $"{s.Version} ({s.Name})").ToList();
        if (unknown.Count > 0)
        {
            throw new MigrationException(
                $"The database has migration(s) this code does not ship: {string.Join(", ", unknown)}. "
                + "Deploy the code that contains them; an older build must not migrate a newer database.");
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch (PostgresException failure)
        {
            throw new MigrationException($"Migration {migration.Name} failed and was rolled back: {failure.SqlState} {failure.MessageText}.");
        }
        await connection.ExecuteAsync(
            "INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES (@Version, @Name, @Checksum, @DurationMs)",
            new { migration.Version, migration.Name, migration.Checksum, DurationMs = (int)clock.ElapsedMilliseconds },
            transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    private static Task LockAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);

    private static Task UnlockAsync(NpgsqlConnection connection) =>
        ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);

    private static Task EnsureHistoryTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer PRIMARY KEY,
                name        text NOT NULL,
                checksum    text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                duration_ms integer NOT NULL
            )
            """, cancellationToken);

    private static async Task<bool> HistoryExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<IReadOnlyList<AppliedMigration>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var rows = await connection.QueryAsync<AppliedMigration>(
            "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version");
        return rows.ToList();
    }

    // Plain Npgsql for statements without parameters or results: nothing for Dapper to map.
    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
