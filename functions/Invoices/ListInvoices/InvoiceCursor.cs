using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Invoices;

/// <summary>Where the next page starts: after the row with this sort key (as text) and id.</summary>
internal sealed record CursorPosition(string Key, Guid Id);

/// <summary>
/// Opaque page cursors: version, filter fingerprint, last id and last sort key, base64url, with an HMAC-SHA256 tag.
/// The tag is for integrity, not secrecy (anyone can decode a cursor): a changed byte, or a cursor reused with other
/// filters or order, is refused rather than read. Every instance must share the key (<c>CURSOR_SIGNING_KEY</c>), or a
/// cursor issued by one is refused by another; without the variable a fixed built-in key is used.
/// </summary>
internal sealed class InvoiceCursor
{
    internal const string KeyVariable = "CURSOR_SIGNING_KEY";
    private const byte Version = 1;
    private const int FingerprintLength = 16;
    private const int TagLength = 16;
    private const int HeaderLength = 1 + FingerprintLength + 16;
    private const string Invalid = "Not a cursor this API issued, or it was changed; use next_cursor exactly as returned.";

    // Integrity only: this key is public (it is in the source), so set CURSOR_SIGNING_KEY where clients must not forge cursors.
    private static readonly byte[] BuiltInKey = Encoding.UTF8.GetBytes("invoice-api cursor integrity key, not a secret");

    private readonly byte[] _key;

    internal InvoiceCursor(byte[] key) => _key = key;

    internal static InvoiceCursor From(IConfiguration configuration) =>
        new(configuration[KeyVariable] is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : BuiltInKey);

    internal string Encode(byte[] fingerprint, CursorPosition position)
    {
        var key = Encoding.UTF8.GetBytes(position.Key);
        var payload = new byte[HeaderLength + key.Length + TagLength];
        payload[0] = Version;
        fingerprint.AsSpan(0, FingerprintLength).CopyTo(payload.AsSpan(1));
        position.Id.TryWriteBytes(payload.AsSpan(1 + FingerprintLength, 16), bigEndian: true, out _);
        key.CopyTo(payload.AsSpan(HeaderLength));
        Tag(payload.AsSpan(0, payload.Length - TagLength), payload.AsSpan(payload.Length - TagLength));
        return Base64Url.EncodeToString(payload);
    }

    /// <summary>The position in <paramref name="cursor"/>, or why it cannot be used with these filters (<paramref name="fingerprint"/>) and <paramref name="sort"/>.</summary>
    internal (CursorPosition? Position, string? Error) Decode(string cursor, byte[] fingerprint, InvoiceSort sort)
    {
        byte[] payload;
        try
        {
            payload = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return (null, Invalid);
        }
        if (payload.Length < HeaderLength + TagLength || payload[0] != Version || !TagMatches(payload))
        {
            return (null, Invalid);
        }
        if (!CryptographicOperations.FixedTimeEquals(payload.AsSpan(1, FingerprintLength), fingerprint.AsSpan(0, FingerprintLength)))
        {
            return (null, "This cursor belongs to a list with other filters or another order; repeat the same query parameters with it, or start again without a cursor.");
        }
        var id = new Guid(payload.AsSpan(1 + FingerprintLength, 16), bigEndian: true);
        var key = Encoding.UTF8.GetString(payload.AsSpan(HeaderLength, payload.Length - HeaderLength - TagLength));
        return sort.AcceptsKey(key) ? (new CursorPosition(key, id), null) : (null, Invalid);
    }

    private bool TagMatches(byte[] payload)
    {
        Span<byte> expected = stackalloc byte[TagLength];
        Tag(payload.AsSpan(0, payload.Length - TagLength), expected);
        return CryptographicOperations.FixedTimeEquals(expected, payload.AsSpan(payload.Length - TagLength));
    }

    private void Tag(ReadOnlySpan<byte> data, Span<byte> tag)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, data, full);
        full[..TagLength].CopyTo(tag);
    }
}
