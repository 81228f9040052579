using InvoiceApi.Data.Connection;
using Npgsql;

namespace Stats;

/// <summary>
/// The Stats data source: the shared connection settings plus automatic preparation, because every request runs the
/// same few statements and their planning (a UNION of index ranges under row-level security) costs as much as running them.
/// </summary>
internal static class StatsDataSource
{
    internal static NpgsqlDataSource Create(DatabaseEndpoint endpoint, DatabasePoolOptions options)
    {
        var builder = new NpgsqlSlimDataSourceBuilder(DataSourceFactory.ConnectionString(endpoint, options));
        builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        return builder.Build();
    }
}
