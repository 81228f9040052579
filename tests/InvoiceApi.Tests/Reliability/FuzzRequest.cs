using System.Text;

namespace InvoiceApi.Tests.Reliability;

/// <summary>Which function a fuzzed request goes to.</summary>
public enum FuzzTarget
{
    Invoices,
    Stats,
}

/// <summary>The Authorization header a fuzzed request carries.</summary>
public enum FuzzCaller
{
    /// <summary>A valid token of the lane's own caller.</summary>
    Owner,

    /// <summary>A valid token of the lane's caller with the admin role.</summary>
    OwnerAsAdmin,

    /// <summary>No Authorization header.</summary>
    Anonymous,

    /// <summary>The lane's token with one payload byte changed (signature no longer matches).</summary>
    Tampered,

    /// <summary>A well-formed token signed by a key the function does not know.</summary>
    ForeignKey,

    /// <summary>An unsigned token (<c>alg: none</c>) naming the lane's caller.</summary>
    AlgNone,

    /// <summary>Garbage after "Bearer", or another scheme.</summary>
    Garbage,
}

/// <summary>Which invoice id a path names, resolved per lane when the request is sent.</summary>
public enum FuzzId
{
    /// <summary>One of the lane caller's own invoices (index chosen by <see cref="FuzzRequest.IdIndex"/>).</summary>
    Own,

    /// <summary>An invoice of another caller, which no fuzzed request may change.</summary>
    Victims,

    /// <summary>A UUID that names no invoice.</summary>
    Unknown,
}

/// <summary>
/// One generated request: where it goes, who sends it, its headers and body. Paths hold <c>{id}</c> where an invoice id
/// belongs; it is replaced by the lane's id when the request is sent, so a replayed seed hits the same kind of row.
/// </summary>
public sealed record FuzzRequest(
    FuzzTarget Target,
    string Method,
    string PathAndQuery,
    FuzzCaller Caller,
    FuzzId Id,
    int IdIndex,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ContentType,
    FuzzBody? Body)
{
    /// <summary>Whether a 2xx answer to this request may have changed invoices.</summary>
    public bool IsWrite => Target == FuzzTarget.Invoices && Method is "POST" or "PUT" or "PATCH" or "DELETE";

    /// <summary>
    /// A NUL in the path (<c>%00</c>): Kestrel refuses it while parsing the request line, with a bare 400, before any
    /// middleware can answer; Cloud Run's front end refuses such requests too.
    /// </summary>
    public bool BreaksHttp => PathAndQuery.Split('?')[0].Contains("%00", StringComparison.Ordinal);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Target).Append(' ').Append(Method).Append(' ').Append(Shorten(PathAndQuery, 300))
            .Append(" caller=").Append(Caller).Append(" id=").Append(Id).Append('#').Append(IdIndex);
        foreach (var (name, value) in Headers)
        {
            text.Append(" | ").Append(name).Append(": ").Append(Shorten(value, 120));
        }
        if (ContentType is not null)
        {
            text.Append(" | Content-Type: ").Append(ContentType);
        }
        if (Body is not null)
        {
            text.Append(" | body: ").Append(Body);
        }
        return text.ToString();
    }

    internal static string Shorten(string text, int length) =>
        text.Length <= length ? Escape(text) : $"{Escape(text[..length])}...({text.Length} chars)";

    // Control characters and surrogates printed as escapes, so a failure message shows exactly what was sent.
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u200b' or '\u200d' or '\u202e' or '\ufeff')
            {
                escaped.Append($"\\u{(int)c:x4}");
            }
            else
            {
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }
}

/// <summary>A request body: text (sent as UTF-8), raw bytes, or a body of a given size made of one repeated byte.</summary>
public sealed record FuzzBody(string? Text, byte[]? Bytes, int RepeatedSize = 0, byte Repeated = (byte)'a')
{
    public static FuzzBody Of(string text) => new(text, null);

    public byte[] ToBytes()
    {
        if (Bytes is not null)
        {
            return Bytes;
        }
        if (Text is not null)
        {
            return Encoding.UTF8.GetBytes(Text);
        }
        var bytes = new byte[RepeatedSize];
        Array.Fill(bytes, Repeated);
        return bytes;
    }

    public override string ToString() => Text is not null
        ? FuzzRequest.Shorten(Text, 400)
        : Bytes is not null
            ? $"{Bytes.Length} bytes: {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 64)))}"
            : $"{RepeatedSize} x '{(char)Repeated}'";
}
