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
        return DataSourceFactory.Create(endpoint, options, settings =>
        {
            settings.MaxAutoPrepare = 32;
            settings.AutoPrepareMinUsages = 2;
        });
    }
}
