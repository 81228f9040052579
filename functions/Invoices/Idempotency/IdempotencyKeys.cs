using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Invoices;

/// <summary>
/// The caller's Idempotency-Keys (migration 0003). A key is claimed inside the transaction that does the work, so a
/// concurrent duplicate waits on the primary key until the first commits, then finds the stored response.
/// </summary>
internal static class IdempotencyKeys
{
    /// <summary>How long a duplicate waits for the first request before it is told 409, retry.</summary>
    internal const string WaitForFirst = "3s";

    /// <summary>The response stored for a key, replayed to every retry with the same request.</summary>
    internal sealed record StoredResponse(string RequestHash, int ResponseStatus, string? ResponseLocation, string? ResponseEtag, byte[] ResponseBody);

    /// <summary>Bounds this transaction's lock waits; a wait that runs out fails with SQLSTATE 55P03 (lock_not_available).</summary>
    internal static async Task LimitLockWaitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SET LOCAL lock_timeout = '{WaitForFirst}'", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Lifts the bound once the key is claimed: the write's own lock waits (the caller's rollup rows, behind another
    /// request's large import) are not a duplicate's wait and must not turn into 409 "key in use".
    /// </summary>
    internal static async Task UnlimitLockWaitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SET LOCAL lock_timeout = DEFAULT", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Claims <paramref name="key"/> for this request: true when it is new, or older than 24 hours (then reused); false
    /// when an earlier request holds it (its response is then readable with <see cref="FindAsync"/>).
    /// </summary>
    internal static async Task<bool> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string accountId, string memberId, string key, string requestHash, CancellationToken cancellationToken)
    {
        var claimed = await connection.QuerySingleOrDefaultAsync<int?>("""
            INSERT INTO idempotency_keys (account_id, member_id, key, request_hash, response_status, response_body)
            VALUES (@accountId, @memberId, @key, @requestHash, 0, ''::bytea)
            ON CONFLICT (account_id, member_id, key) DO UPDATE
                SET request_hash = EXCLUDED.request_hash, response_status = 0, response_location = NULL,
                    response_etag = NULL, response_body = ''::bytea, created_at = now()
                WHERE idempotency_keys.created_at < now() - interval '24 hours'
            RETURNING 1
            """, new { accountId, memberId, key, requestHash, cancellationToken }, transaction);
        return claimed is not null;
    }

    internal static Task<StoredResponse> FindAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string accountId, string memberId, string key, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<StoredResponse>("""
            SELECT request_hash, response_status, response_location, response_etag, response_body
            FROM idempotency_keys WHERE account_id = @accountId AND member_id = @memberId AND key = @key
            """, new { accountId, memberId, key, cancellationToken }, transaction);

    // Plain Npgsql, not Dapper: Dapper.AOT 1.1.0 list-expands a byte[] member (DapperAOT#226), which binds it through
    // Dapper's reflection-based SqlMapper, unavailable under Native AOT.
    internal static async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string accountId, string memberId, string key, StoredResponse response, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE idempotency_keys
            SET response_status = $1, response_location = $2, response_etag = $3, response_body = $4
            WHERE account_id = $5 AND member_id = $6 AND key = $7
            """, connection, transaction)
        {
            Parameters =
            {
                new NpgsqlParameter<int> { TypedValue = response.ResponseStatus },
                new NpgsqlParameter { Value = (object?)response.ResponseLocation ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter { Value = (object?)response.ResponseEtag ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter<byte[]> { TypedValue = response.ResponseBody },
                new NpgsqlParameter<string> { TypedValue = accountId },
                new NpgsqlParameter<string> { TypedValue = memberId },
                new NpgsqlParameter<string> { TypedValue = key },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
