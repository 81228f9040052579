using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Invoices;

/// <summary>The Idempotency-Key header (docs/api.md): sent at most once, 1 to 255 visible ASCII characters.</summary>
internal static class IdempotencyKeyHeader
{
    internal const string Name = "Idempotency-Key";
    internal const string ReplayedHeader = "Idempotency-Replayed";
    internal const int MaxLength = 255;

    /// <summary>The key, or null when none was sent; <paramref name="malformed"/> when it was sent but is not acceptable.</summary>
    internal static string? Read(HttpRequest request, out bool malformed)
    {
        malformed = false;
        if (!request.Headers.TryGetValue(Name, out var values))
        {
            return null;
        }
        var key = values.Count == 1 ? values[0] : null;
        malformed = key is null || key.Length is 0 or > MaxLength || !key.All(c => c is >= '!' and <= '~');
        return malformed ? null : key;
    }

    /// <summary>What "the same request" means for a key: SHA-256 of method, path and the body's exact bytes.</summary>
    internal static string RequestHash(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
