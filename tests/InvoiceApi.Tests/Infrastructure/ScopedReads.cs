using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using Npgsql;

namespace InvoiceApi.Tests.Infrastructure;

/// <summary>Statements as the functions send a scoped read: the read's scope in front, in the same command.</summary>
public static class ScopedReads
{
    /// <summary><paramref name="sql"/> after <see cref="ReadOnlyQuery.Scope"/>, with the scope's parameters.</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, DataScope scope, string sql) => new(ReadOnlyQuery.Scope + sql, connection)
    {
        Parameters = { new NpgsqlParameter<string>("accountId", scope.AccountId), new NpgsqlParameter<bool>("allAccounts", scope.ReadAllAccounts) },
    };
}
