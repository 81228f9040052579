using System.Text.RegularExpressions;

namespace InvoiceApi.Functions.Hosting.Logging;

/// <summary>
/// Last line of defence: masks passwords that slipped into a log message or exception text
/// (connection-string keys and URL credentials), so no secret reaches a log.
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
        return UrlCredentials().Replace(text, m => m.Groups["scheme"].Value + m.Groups["user"].Value + ":" + Mask + "@");
    }

    [GeneratedRegex(@"(?<key>\b(?:password|pwd|db_pass|pass)\s*)=\s*(?:'[^']*'|""[^""]*""|[^;\s,]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringSecret();

    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)(?<user>[^:/@\s]+):[^@/\s]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlCredentials();
}
