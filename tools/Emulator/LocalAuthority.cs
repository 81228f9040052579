using InvoiceApi.Functions.Api;
using InvoiceApi.Functions.Api.Auth;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// The emulator's own token issuer: an RS256 key in <c>.local/auth/local-signing-key.pem</c> (git ignores
/// <c>.local/</c>; under <c>--data-dir</c> when given), generated on first use and kept between runs and across <c>--fresh</c>, so tokens stay valid.
/// The functions get the key file and check every token against it; the <c>token</c> verb signs with it.
/// </summary>
internal sealed class LocalAuthority
{
    internal const string Issuer = "invoice-api-local";
    internal const string Audience = "invoice-api";

    private LocalAuthority(string keyPath, LocalSigningKey key)
    {
        KeyPath = keyPath;
        Key = key;
    }

    internal string KeyPath { get; }

    private LocalSigningKey Key { get; }

    /// <summary>Loads the key, creating it first when the file does not exist.</summary>
    /// <param name="repository">The layout whose state folder holds the key (auth/local-signing-key.pem).</param>
    /// <param name="created">Called with the path when a new key was written.</param>
    /// <exception cref="EmulatorFailure">The file exists but holds no usable key (exit code 2).</exception>
    internal static LocalAuthority Ensure(RepositoryLayout repository, Action<string> created)
    {
        var path = repository.SigningKeyPath;
        try
        {
            if (File.Exists(path))
            {
                return new LocalAuthority(path, LocalSigningKey.Load(path));
            }
            var key = LocalSigningKey.CreateRsaFile(path);
            created(path);
            return new LocalAuthority(path, key);
        }
        catch (FunctionConfigurationException exception)
        {
            throw new EmulatorFailure(ExitCodes.Usage, $"{exception.Message} Delete {path} and a new key is generated on the next run.");
        }
    }

    /// <summary>The variables that make a function accept this authority's tokens.</summary>
    /// <remarks>
    /// The emulator sets K_SERVICE to look like Cloud Run, and the host refuses a local key there unless told loudly
    /// otherwise: here it is the point, so the override is set. Never set it on a real deployment.
    /// </remarks>
    internal IReadOnlyDictionary<string, string> Variables() => new Dictionary<string, string>
    {
        ["AUTH_LOCAL_KEY_FILE"] = KeyPath,
        ["AUTH_LOCAL_ISSUER"] = Issuer,
        ["AUTH_LOCAL_AUDIENCE"] = Audience,
        ["AUTH_LOCAL_KEY_ALLOW_ON_CLOUD_RUN_INSECURE"] = "true",
    };

    /// <summary>A signed token for <paramref name="member"/>, carrying <c>"role": "admin"</c> when asked.</summary>
    internal string IssueToken(LocalMember member, bool admin, TimeSpan lifetime) =>
        Key.IssueToken(member.Id, Issuer, Audience, lifetime, member.Claims(admin));
}
