using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Invoices.Http;

/// <summary>
/// The invoice's ETag: its version as a strong entity tag (<c>"3"</c>). Parses If-Match / If-None-Match:
/// <c>*</c> or a comma-separated list of tags; weak tags (<c>W/"3"</c>) are well-formed but never match If-Match.
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
            if (!TryParseVersion(isWeak ? tag[2..] : tag, out var version))
            {
                return new InvoiceETag(true, true, false, [], []);
            }
            (isWeak ? weak : strong).Add(version);
        }
        return new InvoiceETag(true, false, false, strong, weak);
    }

    internal static InvoiceETag IfMatch(HttpRequest request) => Parse(request.Headers.IfMatch);

    internal static InvoiceETag IfNoneMatch(HttpRequest request) => Parse(request.Headers.IfNoneMatch);

    private static bool TryParseVersion(string quoted, out int version)
    {
        version = 0;
        return quoted.Length >= 3 && quoted[0] == '"' && quoted[^1] == '"'
            && quoted[1..^1].All(char.IsAsciiDigit)
            && int.TryParse(quoted[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }
}
