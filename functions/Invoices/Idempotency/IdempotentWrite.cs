using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using Npgsql;
using static Invoices.IdempotencyKeys;

namespace Invoices;

/// <summary>What an idempotent write ended with: its response (first or replayed), or a problem.</summary>
internal sealed record IdempotentOutcome(StoredResponse? Response, bool Replayed, Problem? Problem);

/// <summary>
/// Runs a write once per Idempotency-Key of the member (docs/api.md; two members of one account never share a key):
/// the key is claimed in the writing transaction, so a retry of the same request gets the stored response, another
/// request with the key gets 422, and a retry that waits longer than <see cref="IdempotencyKeys.WaitForFirst"/> for the
/// first gets 409. Without a key the write simply runs.
/// </summary>
internal static class IdempotentWrite
{
    internal delegate Task<StoredResponse> Write(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="write"/> as <paramref name="caller"/>'s <paramref name="operation"/>, once per key of this member.</summary>
    internal static async Task<IdempotentOutcome> RunAsync(CallerTransaction transactions, Caller caller, string operation, string? key, string requestHash, Write write, CancellationToken cancellationToken)
    {
        try
        {
            return await transactions.RunAsync(caller.Writes(operation), (connection, transaction, token) => OnceAsync(connection, transaction, caller, key, requestHash, write, token), cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.LockNotAvailable && key is not null)
        {
            return new IdempotentOutcome(null, false, IdempotencyProblems.IdempotencyKeyInUse());
        }
    }

    private static async Task<IdempotentOutcome> OnceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Caller caller, string? key, string requestHash, Write write, CancellationToken cancellationToken)
    {
        if (key is not null)
        {
            await LimitLockWaitAsync(connection, transaction, cancellationToken);
            if (!await ClaimAsync(connection, transaction, caller.AccountId, caller.MemberId, key, requestHash, cancellationToken))
            {
                var first = await FindAsync(connection, transaction, caller.AccountId, caller.MemberId, key, cancellationToken);
                return first.RequestHash == requestHash
                    ? new IdempotentOutcome(first, true, null)
                    : new IdempotentOutcome(null, false, IdempotencyProblems.IdempotencyKeyReused());
            }
            await UnlimitLockWaitAsync(connection, transaction, cancellationToken);
        }
        var response = await write(connection, transaction, cancellationToken);
        if (key is not null)
        {
            await SaveAsync(connection, transaction, caller.AccountId, caller.MemberId, key, response, cancellationToken);
        }
        return new IdempotentOutcome(response, false, null);
    }
}
