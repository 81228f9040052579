using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace InvoiceApi.LocalPostgres;

/// <summary>
/// The superuser password stored next to the data directory (mode 0600), so a reused cluster can be connected to again.
/// The same file is initdb's --pwfile.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class SuperUserPasswordFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    internal static string Generate() => RandomNumberGenerator.GetHexString(32, lowercase: true);

    internal static void Validate(string password)
    {
        // initdb reads only the first line of --pwfile.
        if (password.Length == 0 || password.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0)
        {
            throw new ArgumentException("SuperUserPassword must be non-empty and on one line.");
        }
    }

    internal static void Write(string path, string password)
    {
        // Recreated rather than truncated so the 0600 mode applies even when an older file was more open.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite };
        using var writer = new StreamWriter(path, options);
        writer.Write(password);
        writer.Write('\n');
    }

    internal static string? Read(string path) =>
        File.Exists(path) ? File.ReadAllText(path).TrimEnd('\n', '\r') : null;
}
