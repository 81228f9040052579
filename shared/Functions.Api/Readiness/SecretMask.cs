using System.Text.RegularExpressions;

namespace InvoiceApi.Functions.Api.Readiness;

/// <summary>
/// Masks passwords and tokens in the message of a check that threw before it goes into the 503 body. The same masks as
/// the host's log formatter, which this library may not use: it runs under Google's host as well.
/// </summary>
internal static partial class SecretMask
{
    public const string Mask = "***";

    public static string Redact(string text)
    {
        text = ConnectionStringSecret().Replace(text, m => m.Groups["key"].Value + "=" + Mask);
        text = UrlCredentials().Replace(text, m => m.Groups["scheme"].Value + m.Groups["user"].Value + ":" + Mask + "@");
        text = AuthorizationCredentials().Replace(text, m => m.Groups["scheme"].Value + " " + Mask);
        return JsonWebToken().Replace(text, Mask);
    }

    [GeneratedRegex(@"(?<key>\b(?:password|pwd|db_pass|pass)\s*)=\s*(?:'[^']*'|""[^""]*""|[^;\s,]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringSecret();

    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{16,}=*", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationCredentials();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")]
    private static partial Regex JsonWebToken();

    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)(?<user>[^:/@\s]+):[^@/\s]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlCredentials();
}
