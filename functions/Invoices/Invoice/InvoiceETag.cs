using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Invoices;

/// <summary>
/// The invoice's ETag: its version as a strong entity tag (<c>"3"</c>). Parses If-Match / If-None-Match:
/// <c>*</c> or a comma-separated list of tags; weak tags (<c>W/"3"</c>) are well-formed but never match If-Match, and
/// well-formed tags that are not a version (<c>"abc"</c>) match nothing. Anything else is malformed (a 400).
/// </summary>
internal sealed record InvoiceETag(bool Present, bool Malformed, bool Any, IReadOnlyList<int> StrongVersions, IReadOnlyList<int> WeakVersions)
{
    internal static string For(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>If-Match uses strong comparison (RFC 9110 13.1.1).</summary>
    internal bool MatchesStrongly(int version) => Any || StrongVersions.Contains(version);

    /// <summary>If-None-Match uses weak comparison (RFC 9110 13.1.2).</summary>
    internal bool MatchesWeakly(int version) => Any || StrongVersions.Contains(version) || WeakVersions.Contains(version);

    internal static InvoiceETag Parse(StringValues header)
    {
        if (StringValues.IsNullOrEmpty(header))
        {
            return new InvoiceETag(false, false, false, [], []);
        }
        var strong = new List<int>();
        var weak = new List<int>();
        var tags = string.Join(',', header.ToArray()).Split(',', StringSplitOptions.TrimEntries);
        if (tags is ["*"])
        {
            return new InvoiceETag(true, false, true, [], []);
        }
        foreach (var tag in tags)
        {
            var isWeak = tag.StartsWith("W/", StringComparison.Ordinal);
            var opaque = isWeak ? tag[2..] : tag;
            if (TryParseVersion(opaque, out var version))
            {
                (isWeak ? weak : strong).Add(version);
            }
            else if (!IsEntityTag(opaque))
            {
                return new InvoiceETag(true, true, false, [], []);
            }
            // A well-formed tag that is not one of ours (another server's, a cache's) simply matches nothing.
        }
        return new InvoiceETag(true, false, false, strong, weak);
    }

    internal static InvoiceETag IfMatch(HttpRequest request) => Parse(request.Headers.IfMatch);

    internal static InvoiceETag IfNoneMatch(HttpRequest request) => Parse(request.Headers.IfNoneMatch);

    // RFC 9110 8.8.3: a quoted string of visible ASCII (no quote) or obs-text.
    private static bool IsEntityTag(string quoted) =>
        quoted.Length >= 2 && quoted[0] == '"' && quoted[^1] == '"'
        && quoted[1..^1].All(c => c == '\x21' || (c >= '\x23' && c <= '\x7E') || (c >= '\x80' && c <= '\xFF'));

    private static bool TryParseVersion(string quoted, out int version)
    {
        version = 0;
        return quoted.Length >= 3 && quoted[0] == '"' && quoted[^1] == '"'
            && quoted[1..^1].All(char.IsAsciiDigit)
            && int.TryParse(quoted[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }
}
