using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.Hosting;

/// <summary>The tests' own token issuer: a local RS256 key in a file, as the emulator uses. No test reaches the internet.</summary>
public static class TestAuthority
{
    public const string Issuer = "invoice-api-local";
    public const string Audience = "invoice-api";

    private static readonly Lazy<(string Path, LocalSigningKey Key)> KeyFile = new(() =>
    {
        var path = Path.Combine(TemporaryFolder.Create("ivt-auth-"), "local-signing-key.pem");
        return (path, LocalSigningKey.CreateRsaFile(path));
    });

    public static string KeyPath => KeyFile.Value.Path;

    /// <summary>The variables that make a function accept this authority's tokens.</summary>
    public static Dictionary<string, string?> Variables() => new() { ["AUTH_LOCAL_KEY_FILE"] = KeyPath };

    /// <summary>A valid token for <paramref name="subject"/>.</summary>
    public static string Token(string subject = "caller-a", TimeSpan? lifetime = null, IReadOnlyDictionary<string, object>? claims = null) =>
        KeyFile.Value.Key.IssueToken(subject, Issuer, Audience, lifetime ?? TimeSpan.FromMinutes(10), claims);

    /// <summary>Adds this authority's variables to <paramref name="variables"/> where not already set.</summary>
    public static Dictionary<string, string?> With(Dictionary<string, string?> variables)
    {
        foreach (var (name, value) in Variables())
        {
            variables.TryAdd(name, value);
        }
        return variables;
    }
}
