using InvoiceApi.Data.Migrations;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.Migrations;

/// <summary>Migrations apply exactly once, in order, each in its own transaction, and edited history is refused.</summary>
public sealed class MigratorTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Four_migrators_started_together_apply_each_migration_once()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        var dataSources = Enumerable.Range(0, 4).Select(_ => database.AdminDataSource()).ToList();
        using var start = new ManualResetEventSlim();

        var runs = dataSources.Select(dataSource => Task.Run(async () =>
        {
            start.Wait(Token);
            return await new Migrator(dataSource).MigrateAsync(Token);
        }, Token)).ToList();
        start.Set();
        var applied = await Task.WhenAll(runs);

        Assert.Equal(MigrationCatalog.Embedded.Count, applied.Sum(run => run.Count));
        Assert.Equal(MigrationCatalog.Embedded.Select(m => m.Version), await AppliedVersionsAsync(database));
        foreach (var dataSource in dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_second_run_applies_nothing()
    {
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var dataSource = database.AdminDataSource();

        var applied = await new Migrator(dataSource).MigrateAsync(Token);

        Assert.Empty(applied);
    }

    [Fact]
    public async Task Migrations_apply_in_version_order_and_record_checksums()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        await using var dataSource = database.AdminDataSource();
        var migrations = new[]
        {
            new Migration(2, "0002_second.sql", "CREATE TABLE second_step (id int REFERENCES first_step (id))"),
            new Migration(1, "0001_first.sql", "CREATE TABLE first_step (id int PRIMARY KEY)"),
        }.OrderBy(m => m.Version).ToList();

        await new Migrator(dataSource, migrations).MigrateAsync(Token);

        await using var command = dataSource.CreateCommand("SELECT string_agg(checksum, ',' ORDER BY version) FROM schema_migrations");
        Assert.Equal(string.Join(',', migrations.Select(m => m.Checksum)), (string)(await command.ExecuteScalarAsync(Token))!);
    }

    [Fact]
    public async Task An_edited_applied_migration_is_refused_by_name()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        await using var dataSource = database.AdminDataSource();
        var original = new Migration(1, "0001_widgets.sql", "CREATE TABLE widgets (id int)");
        await new Migrator(dataSource, [original]).MigrateAsync(Token);
        var edited = original with { Sql = "CREATE TABLE widgets (id bigint)" };
        var next = new Migration(2, "0002_gadgets.sql", "CREATE TABLE gadgets (id int)");

        var error = await Assert.ThrowsAsync<MigrationException>(() => new Migrator(dataSource, [edited, next]).MigrateAsync(Token));

        Assert.Contains("0001_widgets.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains("changed", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], await AppliedVersionsAsync(database));
        var status = await new Migrator(dataSource, [edited, next]).StatusAsync(Token);
        Assert.Equal([MigrationStatus.Changed, MigrationStatus.Pending], status.Select(s => s.Status));
    }

    [Fact]
    public async Task Line_endings_alone_do_not_count_as_an_edit()
    {
        var unix = new Migration(1, "0001_x.sql", "CREATE TABLE x (id int);\nCREATE INDEX ON x (id);\n");
        var windows = unix with { Sql = unix.Sql.Replace("\n", "\r\n", StringComparison.Ordinal) };

        Assert.Equal(unix.Checksum, windows.Checksum);
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_entirely_and_is_not_recorded()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        await using var dataSource = database.AdminDataSource();
        var good = new Migration(1, "0001_good.sql", "CREATE TABLE good (id int)");
        var bad = new Migration(2, "0002_bad.sql", "CREATE TABLE half_done (id int); SELECT no_such_function();");

        var error = await Assert.ThrowsAsync<MigrationException>(() => new Migrator(dataSource, [good, bad]).MigrateAsync(Token));

        Assert.Contains("0002_bad.sql", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], await AppliedVersionsAsync(database));
        await using var command = dataSource.CreateCommand("SELECT to_regclass('half_done') IS NULL");
        Assert.True((bool)(await command.ExecuteScalarAsync(Token))!);
    }

    [Fact]
    public async Task A_database_ahead_of_the_code_is_refused()
    {
        var database = await server.CreateDatabaseAsync(migrated: false, Token);
        await using var dataSource = database.AdminDataSource();
        var first = new Migration(1, "0001_a.sql", "CREATE TABLE a (id int)");
        var second = new Migration(2, "0002_b.sql", "CREATE TABLE b (id int)");
        await new Migrator(dataSource, [first, second]).MigrateAsync(Token);

        var error = await Assert.ThrowsAsync<MigrationException>(() => new Migrator(dataSource, [first]).MigrateAsync(Token));

        Assert.Contains("0002_b.sql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_migrations_are_numbered_from_one_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, MigrationCatalog.Embedded.Count), MigrationCatalog.Embedded.Select(m => m.Version));
    }

    private static async Task<List<int>> AppliedVersionsAsync(TestDatabase database)
    {
        await using var dataSource = database.AdminDataSource();
        await using var command = dataSource.CreateCommand("SELECT version FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync(Token);
        var versions = new List<int>();
        while (await reader.ReadAsync(Token))
        {
            versions.Add(reader.GetInt32(0));
        }
        return versions;
    }
}
