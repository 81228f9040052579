using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace InvoiceApi.Functions.Api.Auth;

/// <summary>
/// The emulator's and tests' own token signing key, from a file: an RSA private key in PEM (RS256), or a base64 secret
/// of at least 256 bits (HS256). Never for Cloud Run: the host refuses it there unless told loudly otherwise.
/// </summary>
public sealed class LocalSigningKey
{
    private const int MinimumSecretBytes = 32;

    private LocalSigningKey(SecurityKey key, string algorithm)
    {
        Key = key;
        Algorithm = algorithm;
    }

    /// <summary>The key that validates (and, here, signs) tokens.</summary>
    public SecurityKey Key { get; }

    /// <summary><c>RS256</c> or <c>HS256</c>: the only algorithm accepted with this key.</summary>
    public string Algorithm { get; }

    /// <summary>Reads the key from <paramref name="path"/>.</summary>
    /// <exception cref="FunctionConfigurationException">The file is missing or holds neither a PEM RSA key nor a long enough secret.</exception>
    public static LocalSigningKey Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FunctionConfigurationException($"AUTH_LOCAL_KEY_FILE names {path}, which does not exist.");
        }
        var text = File.ReadAllText(path).Trim();
        return text.Contains("-----BEGIN", StringComparison.Ordinal) ? FromPem(path, text) : FromSecret(path, text);
    }

    /// <summary>Creates a new RSA key in <paramref name="path"/> (PEM, readable by the owner only) and returns it.</summary>
    public static LocalSigningKey CreateRsaFile(string path)
    {
        using var rsa = RSA.Create(2048);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return Load(path);
    }

    /// <summary>Signs a token for <paramref name="subject"/>, valid from now for <paramref name="lifetime"/>.</summary>
    public string IssueToken(string subject, string issuer, string audience, TimeSpan lifetime, IReadOnlyDictionary<string, object>? claims = null)
    {
        var now = DateTime.UtcNow;
        var allClaims = new Dictionary<string, object>(claims ?? new Dictionary<string, object>()) { [JwtRegisteredClaimNames.Sub] = subject };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = allClaims,
            SigningCredentials = new SigningCredentials(Key, Algorithm),
        });
    }

    private static LocalSigningKey FromPem(string path, string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException)
        {
            rsa.Dispose();
            throw new FunctionConfigurationException($"{path} holds PEM text that is not an RSA key.");
        }
        return new LocalSigningKey(new RsaSecurityKey(rsa) { KeyId = KeyId(rsa.ExportSubjectPublicKeyInfo()) }, SecurityAlgorithms.RsaSha256);
    }

    private static LocalSigningKey FromSecret(string path, string text)
    {
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new FunctionConfigurationException($"{path} must hold an RSA private key in PEM or a base64 secret.");
        }
        if (secret.Length < MinimumSecretBytes)
        {
            throw new FunctionConfigurationException(
                $"The HS256 secret in {path} has {secret.Length * 8} bits; at least {MinimumSecretBytes * 8} are required.");
        }
        return new LocalSigningKey(new SymmetricSecurityKey(secret) { KeyId = KeyId(secret) }, SecurityAlgorithms.HmacSha256);
    }

    // A stable id derived from the key, so tokens name the key they were signed with without revealing it.
    private static string KeyId(byte[] material) => Convert.ToHexStringLower(SHA256.HashData(material))[..16];
}
