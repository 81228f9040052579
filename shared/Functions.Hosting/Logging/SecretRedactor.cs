using System.Text.RegularExpressions;

namespace InvoiceApi.Functions.Hosting.Logging;

/// <summary>
/// Last line of defence: masks passwords that slipped into a log message or exception text
/// (connection-string keys, URL credentials, Authorization header values and anything shaped like a JWT), so no secret reaches a log.
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>The text that replaces a secret.</summary>
    public const string Mask = "***";

    /// <summary>Returns <paramref name="text"/> with secrets masked.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }
        text = ConnectionStringSecret().Replace(text, m => m.Groups["key"].Value + "=" + Mask);
        text = UrlCredentials().Replace(text, m => m.Groups["scheme"].Value + m.Groups["user"].Value + ":" + Mask + "@");
        text = AuthorizationCredentials().Replace(text, m => m.Groups["scheme"].Value + " " + Mask);
        return JsonWebToken().Replace(text, Mask);
    }

    [GeneratedRegex(@"(?<key>\b(?:password|pwd|db_pass|pass)\s*)=\s*(?:'[^']*'|""[^""]*""|[^;\s,]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringSecret();

    // Long enough to be a credential, so prose such as "Bearer was not authenticated" stays readable.
    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{16,}=*", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationCredentials();

    // A JWT's header always starts with '{"' in base64url: eyJ. Three dot-separated base64url parts, the last possibly empty (alg none).
    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")]
    private static partial Regex JsonWebToken();

    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)(?<user>[^:/@\s]+):[^@/\s]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlCredentials();
}
