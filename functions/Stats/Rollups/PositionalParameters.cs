using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using Npgsql;

namespace Stats.Rollups;

/// <summary>
/// The parameters of a statement built at run time, as $1, $2...: Npgsql sends positional SQL as it is, while named
/// parameters make it rewrite the whole text on every execution.
/// </summary>
internal sealed class PositionalParameters
{
    private readonly List<NpgsqlParameter> _parameters = [];

    /// <summary>Adds <paramref name="value"/> and returns its placeholder.</summary>
    internal string Add<T>(T value)
    {
        _parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        return "$" + _parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary><paramref name="sql"/> with these parameters, after the account's read scope, in one round trip.</summary>
    internal NpgsqlBatch Scoped(string sql, string accountId, NpgsqlConnection connection)
    {
        var statement = new NpgsqlBatchCommand(sql);
        statement.Parameters.AddRange(_parameters.ToArray());
        return new NpgsqlBatch(connection) { BatchCommands = { ReadOnlyQuery.ScopeCommand(DataScope.Of(accountId)), statement } };
    }
}
