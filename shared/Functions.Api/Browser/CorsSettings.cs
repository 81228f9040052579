namespace InvoiceApi.Functions.Api.Browser;

/// <summary>
/// Which browser origins may call the function, from <c>ALLOWED_ORIGINS</c> and <c>CORS_ALLOW_CREDENTIALS</c>.
/// Unset allows nothing; <c>*</c> allows every origin but never with credentials.
/// </summary>
internal sealed record CorsSettings(IReadOnlySet<string> Origins, bool AnyOrigin, bool AllowCredentials)
{
    public const string OriginsVariable = "ALLOWED_ORIGINS";
    public const string CredentialsVariable = "CORS_ALLOW_CREDENTIALS";

    public static readonly CorsSettings None = new(new HashSet<string>(), AnyOrigin: false, AllowCredentials: false);

    /// <summary>True when some browser origin may call the function.</summary>
    public bool Enabled => AnyOrigin || Origins.Count > 0;

    public bool Allows(string origin) => AnyOrigin || Origins.Contains(origin);

    public static CorsSettings Read(Func<string, string?> variable)
    {
        var credentials = ReadCredentials(variable(CredentialsVariable));
        var entries = (variable(OriginsVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length == 0)
        {
            return None with { AllowCredentials = credentials };
        }
        if (entries.Contains("*"))
        {
            return AnyOriginSettings(entries, credentials);
        }
        var origins = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            origins.Add(ParseOrigin(entry));
        }
        return new CorsSettings(origins, AnyOrigin: false, credentials);
    }

    /// <summary>For the start-up log.</summary>
    public string Describe() => !Enabled
        ? $"no browser origin ({OriginsVariable} is unset)"
        : (AnyOrigin ? "any origin" : string.Join(", ", Origins.Order(StringComparer.Ordinal)))
          + (AllowCredentials ? ", with credentials" : ", without credentials");

    private static CorsSettings AnyOriginSettings(string[] entries, bool credentials)
    {
        if (entries.Length > 1)
        {
            throw new FunctionConfigurationException(
                $"{OriginsVariable} mixes '*' with named origins; give either '*' (any origin) or a list of origins.");
        }
        if (credentials)
        {
            // Browsers refuse '*' with credentials, and echoing any origin with credentials would let every site act for the user.
            throw new FunctionConfigurationException(
                $"{OriginsVariable}=* cannot be combined with {CredentialsVariable}=true; list the origins that may send credentials.");
        }
        return new CorsSettings(new HashSet<string>(), AnyOrigin: true, AllowCredentials: false);
    }

    // An origin is scheme://host[:port] and nothing more: browsers send exactly that in the Origin header.
    private static string ParseOrigin(string entry)
    {
        if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new FunctionConfigurationException(
                $"{OriginsVariable} holds '{entry}', which is not an origin; write each as scheme://host[:port], for example https://app.example.com.");
        }
        var origin = uri.GetLeftPart(UriPartial.Authority);
        if (!string.Equals(entry, origin, StringComparison.OrdinalIgnoreCase))
        {
            throw new FunctionConfigurationException(
                $"{OriginsVariable} holds '{entry}', which is more than an origin (a path, query, trailing slash or default port); an origin is scheme://host[:port] only, here '{origin}'.");
        }
        return origin;
    }

    private static bool ReadCredentials(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "false" => false,
        "true" => true,
        _ => throw new FunctionConfigurationException($"{CredentialsVariable} must be true or false, got '{value}'."),
    };
}
