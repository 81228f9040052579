namespace InvoiceApi.Functions.Api.Auth;

/// <summary>
/// Which tokens the host accepts, read from the environment; the same for every function.
/// At least one mode must be configured: a function never runs open by accident.
/// </summary>
internal sealed record AuthSettings(FirebaseAuthMode? Firebase, GoogleAuthMode? Google, LocalAuthMode? Local)
{
    public const string LoudLocalOverride = "AUTH_LOCAL_KEY_ALLOW_ON_CLOUD_RUN_INSECURE";

    public static readonly IReadOnlyList<string> Variables =
    [
        "AUTH_FIREBASE_PROJECT", "AUTH_FIREBASE_METADATA_URL", "AUTH_GOOGLE_AUDIENCE", "AUTH_GOOGLE_ALLOWED_EMAILS", "AUTH_GOOGLE_ACCOUNTS", "AUTH_GOOGLE_METADATA_URL",
        "AUTH_LOCAL_KEY_FILE", "AUTH_LOCAL_ISSUER", "AUTH_LOCAL_AUDIENCE", LoudLocalOverride,
    ];

    public static AuthSettings Read(Func<string, string?> variable, bool onCloudRun)
    {
        string? Read(string name) => string.IsNullOrWhiteSpace(variable(name)) ? null : variable(name)!.Trim();

        var firebase = Read("AUTH_FIREBASE_PROJECT") is { } project
            ? new FirebaseAuthMode(project, MetadataAddress("AUTH_FIREBASE_METADATA_URL", Read("AUTH_FIREBASE_METADATA_URL"))
                ?? $"https://securetoken.google.com/{project}/.well-known/openid-configuration")
            : null;
        var google = Read("AUTH_GOOGLE_AUDIENCE") is { } audiences
            ? new GoogleAuthMode(
                audiences.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                AllowedEmails(Read("AUTH_GOOGLE_ALLOWED_EMAILS")),
                ServiceAccounts(Read("AUTH_GOOGLE_ACCOUNTS")),
                MetadataAddress("AUTH_GOOGLE_METADATA_URL", Read("AUTH_GOOGLE_METADATA_URL")) ?? "https://accounts.google.com/.well-known/openid-configuration")
            : null;
        var local = Read("AUTH_LOCAL_KEY_FILE") is { } keyFile
            ? LocalMode(keyFile, Read("AUTH_LOCAL_ISSUER"), Read("AUTH_LOCAL_AUDIENCE"), onCloudRun, Read(LoudLocalOverride))
            : null;
        if (firebase is null && google is null && local is null)
        {
            throw new FunctionConfigurationException(
                "No authentication is configured, and a function never runs open. Set AUTH_FIREBASE_PROJECT (Firebase Authentication / "
                + "Identity Platform ID tokens), AUTH_GOOGLE_AUDIENCE (Google-signed ID tokens of service-to-service callers), or, "
                + $"for the emulator and tests only, AUTH_LOCAL_KEY_FILE. Variables read: {string.Join(", ", Variables)}.");
        }
        return new AuthSettings(firebase, google, local);
    }

    /// <summary>The accepted token kinds, for the start-up log (no secrets: the key file's path only).</summary>
    public string Describe() => string.Join("; ", new[]
    {
        Firebase is { } firebase ? $"Firebase ID tokens of project {firebase.ProjectId}" : null,
        Google is { } google ? $"Google-signed ID tokens for audience {string.Join(" or ", google.Audiences)} from "
            + (google.AllowedEmails is { } emails ? string.Join(" or ", emails) : "any account Cloud Run lets in") : null,
        Local is { } local ? $"local {local.Key.Algorithm} tokens from {local.Issuer} for {local.Audience}" : null,
    }.Where(mode => mode is not null));

    // Any Google account can mint an ID token for any audience: the audience alone admits the world.
    private static string[]? AllowedEmails(string? setting) => setting switch
    {
        null => throw new FunctionConfigurationException(
            "AUTH_GOOGLE_AUDIENCE is set without AUTH_GOOGLE_ALLOWED_EMAILS: any Google account can get an ID token for this "
            + "audience. Set AUTH_GOOGLE_ALLOWED_EMAILS to the service accounts that may call (comma-separated), or to * when "
            + "Cloud Run itself checks the caller (deployed with --no-allow-unauthenticated and the run.invoker role)."),
        "*" => null,
        _ => setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    // "scheduler@p.iam.gserviceaccount.com=acme:editor,reports@p.iam.gserviceaccount.com=acme:viewer": the account and
    // role a service caller acts for. An email not listed acts for its own personal account, as before accounts existed.
    private static Dictionary<string, ServiceAccountMembership> ServiceAccounts(string? setting)
    {
        var memberships = new Dictionary<string, ServiceAccountMembership>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in (setting ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (email, membership) = entry.Split('=', 2) is [var left, var right] ? (left.Trim(), right.Trim()) : (entry, "");
            var colon = membership.LastIndexOf(':');
            var account = colon > 0 ? membership[..colon] : "";
            var role = colon > 0 ? AccountRoles.Parse(membership[(colon + 1)..]) : null;
            if (email.Length == 0 || account.Length is 0 or > AccountRoles.MaxIdLength || role is null || !memberships.TryAdd(email, new(account, role.Value.Name())))
            {
                throw new FunctionConfigurationException(
                    $"AUTH_GOOGLE_ACCOUNTS entry '{entry}' must be email=account:role, each email once, with role one of "
                    + $"{string.Join(", ", AccountRoles.Names)} (for example scheduler@my-project.iam.gserviceaccount.com=acme:editor).");
            }
        }
        return memberships;
    }

    // The key server is trusted for every signature: HTTPS, or plain HTTP on loopback (tests) only. Checked here, or a
    // wrong address would surface as a 500 on the first request.
    private static string? MetadataAddress(string name, string? address)
    {
        if (address is null)
        {
            return null;
        }
        if (Uri.TryCreate(address, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            return address;
        }
        throw new FunctionConfigurationException($"{name} must be an https:// address (plain http only on loopback), got '{address}'.");
    }

    private static LocalAuthMode LocalMode(string keyFile, string? issuer, string? audience, bool onCloudRun, string? loudOverride)
    {
        if (onCloudRun && !string.Equals(loudOverride, "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new FunctionConfigurationException(
                "AUTH_LOCAL_KEY_FILE is set on Cloud Run (K_SERVICE is set): a local signing key lets anyone holding the file "
                + "act as any caller. Use AUTH_FIREBASE_PROJECT or AUTH_GOOGLE_AUDIENCE there; if you really mean it, set "
                + $"{LoudLocalOverride}=true.");
        }
        return new LocalAuthMode(LocalSigningKey.Load(keyFile), issuer ?? LocalAuthMode.DefaultIssuer, audience ?? LocalAuthMode.DefaultAudience);
    }
}

/// <summary>Firebase Authentication / Identity Platform ID tokens of one project.</summary>
internal sealed record FirebaseAuthMode(string ProjectId, string MetadataAddress)
{
    public string Issuer => $"https://securetoken.google.com/{ProjectId}";
}

/// <summary>
/// Google-signed ID tokens (service accounts, Cloud Scheduler, other services) for the given audiences, from the
/// accounts in <paramref name="AllowedEmails"/> (null: any, when Cloud Run's invoker check stands in front), each acting
/// for the account and role <paramref name="ServiceAccounts"/> gives its email, or for its own personal account.
/// </summary>
internal sealed record GoogleAuthMode(IReadOnlyList<string> Audiences, IReadOnlyList<string>? AllowedEmails,
    IReadOnlyDictionary<string, ServiceAccountMembership> ServiceAccounts, string MetadataAddress)
{
    public static readonly IReadOnlyList<string> Issuers = ["https://accounts.google.com", "accounts.google.com"];
}

/// <summary>The account a service caller acts for, and its role there (AUTH_GOOGLE_ACCOUNTS).</summary>
internal sealed record ServiceAccountMembership(string Account, string Role);

/// <summary>Tokens signed with the emulator's or tests' own key.</summary>
internal sealed record LocalAuthMode(LocalSigningKey Key, string Issuer, string Audience)
{
    public const string DefaultIssuer = "invoice-api-local";
    public const string DefaultAudience = "invoice-api";
}
