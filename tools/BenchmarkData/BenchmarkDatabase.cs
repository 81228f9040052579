using System.Diagnostics;
using InvoiceApi.Data.Migrations;
using Npgsql;

namespace InvoiceApi.Tools.BenchmarkData;

/// <summary>
/// A database holding a <see cref="DataSet"/>: migrated, loaded with binary COPY (the rollup triggers run as for an
/// import), vacuumed, and a runtime login that owns nothing, so row-level security holds every query it sends, as
/// the functions' login on Cloud SQL.
/// </summary>
public sealed class BenchmarkDatabase
{
    /// <summary>The runtime login (a member of invoice_api_runtime).</summary>
    public const string RuntimeUser = "bench_runtime";

    /// <summary>Its password.</summary>
    public const string RuntimePassword = "bench-pw";

    private BenchmarkDatabase(DataSet set) => Set = set;

    /// <summary>What the database holds.</summary>
    public DataSet Set { get; }

    /// <summary>The database's name.</summary>
    public string Name => Set.Database;

    /// <summary>Creates and loads the database unless it already exists; makes sure the runtime login exists either way.</summary>
    public static async Task<BenchmarkDatabase> EnsureAsync(BenchmarkCluster cluster, DataSet set, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(progress);
        await using var admin = cluster.AdminDataSource("postgres");
        await using var bench = cluster.AdminDataSource(set.Database);
        await using (var exists = admin.CreateCommand("SELECT count(*) FROM pg_database WHERE datname = $1"))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = set.Database });
            if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                await ExecuteAsync(admin, $"CREATE DATABASE {set.Database}", cancellationToken);
                await new Migrator(bench).MigrateAsync(cancellationToken);
                await EnsureRuntimeLoginAsync(bench, cancellationToken);
                var load = Stopwatch.StartNew();
                await InvoiceLoader.LoadAsync(bench, set, Today(), line => progress($"{load.Elapsed.TotalSeconds,6:0}s {line}"), cancellationToken);
                progress($"Loaded {set.Total:N0} invoices for {DataSet.Callers} callers (heaviest {set.Heaviest:N0}) with binary COPY and the rollup triggers in {load.Elapsed.TotalSeconds:0} s");
                await ExecuteAsync(bench, "VACUUM ANALYZE", cancellationToken);
            }
        }
        // A kept database loaded by an older commit gets the migrations added since (the functions verify the schema).
        await new Migrator(bench).MigrateAsync(cancellationToken);
        await EnsureRuntimeLoginAsync(bench, cancellationToken);
        return new BenchmarkDatabase(set);
    }

    /// <summary>Today where the data set's dates are anchored (the product's default time zone).</summary>
    public static DateOnly Today() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/Bogota")).DateTime);

    /// <summary>Runs one statement without parameters.</summary>
    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task EnsureRuntimeLoginAsync(NpgsqlDataSource bench, CancellationToken cancellationToken) => ExecuteAsync(bench, $"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{RuntimeUser}') THEN
            CREATE ROLE {RuntimeUser} LOGIN PASSWORD '{RuntimePassword}' IN ROLE invoice_api_runtime;
          END IF;
        END $$
        """, cancellationToken);
}
