using System.Collections.Concurrent;
using System.Globalization;
using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Stats.Caching;

/// <summary>
/// Figures this instance has computed, kept as the response bodies written from them, per caller and request, while the account's invoices stay as they were. Each
/// entry carries the account's change number (<see cref="AccountVersion"/>) read before the figures, in the same read-only
/// transaction; it is served again only to a transaction that reads the same number, that is, one that sees exactly the
/// invoices it was computed from. So a cached answer is the answer a fresh read would give, and a write is seen by the
/// next request after it commits, on every instance.
/// </summary>
/// <remarks>
/// Bounded by <see cref="Capacity"/> entries (a dashboard's body is a few kilobytes); when full it starts over rather
/// than keep recency order, which would cost every hit a lock. Capacity 0 turns it off.
/// </remarks>
internal sealed class FiguresCache(int capacity)
{
    /// <summary>STATS_FIGURES_CACHE_ENTRIES: how many answers an instance keeps; 0 computes every one.</summary>
    internal const string CapacitySetting = "STATS_FIGURES_CACHE_ENTRIES";

    internal const int DefaultCapacity = 256;

    private readonly ConcurrentDictionary<(string AccountId, object Request), Entry> _entries = new();

    internal int Capacity => capacity;

    /// <summary>A cache of the size <see cref="CapacitySetting"/> asks for, <see cref="DefaultCapacity"/> when unset.</summary>
    /// <exception cref="FunctionConfigurationException">The setting is not a whole number from 0 to 100,000.</exception>
    internal static FiguresCache FromSettings(Func<string, string?> setting)
    {
        var text = setting(CapacitySetting);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new FiguresCache(DefaultCapacity);
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var entries) || entries > 100_000)
        {
            throw new FunctionConfigurationException($"{CapacitySetting} must be a whole number from 0 (no cache) to 100000, got '{text}'.");
        }
        return new FiguresCache(entries);
    }

    /// <summary>
    /// The response body for <paramref name="request"/> (a record holding everything the body depends on: equal requests
    /// are equal keys) of the account <paramref name="accountId"/>, in a read-only transaction of <paramref name="reads"/>
    /// scoped to the caller: the kept one when the account's change number is still theirs, otherwise
    /// <paramref name="read"/>'s figures as serialized there, kept for next time. The response says which
    /// (<c>Server-Timing: cache;desc=hit</c> or <c>miss</c>).
    /// </summary>
    internal async Task<byte[]> ReadAsync(HttpContext context, ReplicaReadOnlyQuery reads, string accountId, object request,
        Func<NpgsqlConnection, CancellationToken, Task<byte[]>> read)
    {
        var (body, cached) = await reads.RunAsync(DataScope.Of(accountId),
            (connection, token) => GetOrReadAsync(connection, accountId, request, () => read(connection, token), token), context.RequestAborted);
        context.Response.Headers.Append("Server-Timing", cached ? "cache;desc=hit" : "cache;desc=miss");
        return body;
    }

    private async Task<(byte[] Body, bool Cached)> GetOrReadAsync(NpgsqlConnection connection, string accountId, object request,
        Func<Task<byte[]>> read, CancellationToken cancellationToken)
    {
        if (capacity == 0)
        {
            return (await read(), false);
        }
        // Read first: figures computed after it are at least as new as the number they are kept under.
        var version = await AccountVersion.ReadAsync(connection, accountId, cancellationToken);
        var key = (accountId, request);
        if (_entries.TryGetValue(key, out var entry) && entry.Version.SameAs(version))
        {
            return (entry.Body, true);
        }
        var body = await read();
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }
        _entries[key] = new Entry(version, body);
        return (body, false);
    }

    private sealed record Entry(AccountVersion Version, byte[] Body);
}
