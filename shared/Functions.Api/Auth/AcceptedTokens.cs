using System.Collections.Concurrent;
using System.Security.Claims;

namespace InvoiceApi.Functions.Api.Auth;

/// <summary>
/// The tokens this instance has already validated and accepted, by their exact text, with the caller each one makes.
/// A client sends the same token with every request for up to an hour; checking its RS256 signature, issuer, audience
/// and claims again each time cost a tenth of a point read's CPU (docs/benchmarks.md). A token is taken from here only
/// while it has not expired and for at most <see cref="MaxAge"/> after it was validated, so a signing key withdrawn from
/// the issuer's published keys stops being honoured within minutes, as the handler's own key refresh would have it.
/// Tokens that failed are never kept: each is checked again and answered with its own reason.
/// </summary>
internal sealed class AcceptedTokens(TimeProvider clock)
{
    /// <summary>How long a validation is reused at most, whatever the token's own expiry.</summary>
    internal static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many tokens are kept at once. An instance serves a few dozen members; a flood of distinct valid tokens only
    /// empties the table (each then costs its full check, as without it), so memory stays bounded.
    /// </summary>
    internal const int Capacity = 512;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(ClaimsPrincipal Principal, Caller Caller, DateTimeOffset UsableUntil);

    /// <summary>The caller of an accepted <paramref name="token"/> that is still usable, or false.</summary>
    internal bool TryGet(string token, out ClaimsPrincipal principal, out Caller caller)
    {
        if (_entries.TryGetValue(token, out var entry) && clock.GetUtcNow() < entry.UsableUntil)
        {
            (principal, caller) = (entry.Principal, entry.Caller);
            return true;
        }
        (principal, caller) = (null!, null!);
        return false;
    }

    /// <summary>Keeps <paramref name="token"/>, which the handler has just accepted, until it expires or <see cref="MaxAge"/> passes.</summary>
    internal void Add(string token, ClaimsPrincipal principal, Caller caller)
    {
        // The handler required exp; without one readable here the token is simply checked every time.
        if (!long.TryParse(principal.FindFirst("exp")?.Value, out var exp))
        {
            return;
        }
        var now = clock.GetUtcNow();
        var usableUntil = DateTimeOffset.FromUnixTimeSeconds(Math.Min(exp, now.Add(MaxAge).ToUnixTimeSeconds()));
        if (usableUntil <= now)
        {
            return;
        }
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }
        _entries[token] = new Entry(principal, caller, usableUntil);
    }
}
