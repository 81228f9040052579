using System.Security.Cryptography;

namespace InvoiceApi.Tools.Emulator;

/// <summary>A role's password kept next to the data (mode 0600), created on the first run and reused after.</summary>
internal static class PasswordFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    internal static string ReadOrCreate(string path)
    {
        var stored = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
        if (stored.Length > 0)
        {
            return stored;
        }
        // PostgresCluster has already refused anything but Linux; this tells the platform analyzer so.
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The emulator runs on Linux only.");
        }
        var password = RandomNumberGenerator.GetHexString(32, lowercase: true);
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite };
        using var writer = new StreamWriter(path, options);
        writer.WriteLine(password);
        return password;
    }
}
