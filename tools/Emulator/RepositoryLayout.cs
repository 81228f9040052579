using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Where things are: the repository root, the functions' build output, and the state folder (<c>.local/</c> in the
/// clone unless <c>--data-dir</c> names another) with the data, key, socket and lock folders that belong to it.
/// </summary>
internal sealed class RepositoryLayout
{
    private const string SolutionFile = "InvoiceApi.slnx";

    private RepositoryLayout(string root, string? stateFolder)
    {
        Root = root;
        StateFolder = stateFolder ?? Path.Join(root, ".local");
        // Short and stable per state folder: socket paths must stay under 107 bytes, and two emulators must not share a server.
        Tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StateFolder)))[..8];
    }

    /// <summary>The directory holding InvoiceApi.slnx.</summary>
    internal string Root { get; }

    /// <summary>The folder holding the database, the signing key and the passwords: <c>.local/</c> (git ignores it) or <c>--data-dir</c>.</summary>
    internal string StateFolder { get; }

    /// <summary>Eight hex digits of a hash of <see cref="StateFolder"/>, used in the folders outside it.</summary>
    internal string Tag { get; }

    /// <summary>The folder for this state folder's sockets and lock: <c>/tmp/invoiceapi-&lt;tag&gt;</c>, not TMPDIR, which may be long.</summary>
    internal string RuntimeFolder => Path.Join("/tmp", $"invoiceapi-{Tag}");

    /// <summary>The directory standing in for Cloud Run's <c>/cloudsql</c>.</summary>
    internal string SocketRoot => Path.Join(RuntimeFolder, "cloudsql");

    /// <summary>The cluster's data directory in the state folder.</summary>
    internal string RepositoryDataDirectory => Path.Join(StateFolder, "postgres", "data");

    /// <summary>The RS256 key the local tokens are signed with.</summary>
    internal string SigningKeyPath => Path.Join(StateFolder, "auth", "local-signing-key.pem");

    /// <summary>The data directory used when the server account cannot reach the clone (for example under /root).</summary>
    internal string FallbackDataDirectory => Path.Join("/var/tmp", $"invoiceapi-{Tag}", "postgres", "data");

    /// <summary>Finds the repository by walking up from the emulator's own build output.</summary>
    /// <param name="stateFolder">An absolute <c>--data-dir</c>, or null for <c>.local/</c> in the clone.</param>
    /// <exception cref="EmulatorFailure">No parent directory holds InvoiceApi.slnx.</exception>
    internal static RepositoryLayout Locate(string? stateFolder)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, SolutionFile)))
            {
                return new RepositoryLayout(directory.FullName, stateFolder);
            }
        }
        throw new EmulatorFailure(ExitCodes.Usage,
            $"No {SolutionFile} above {AppContext.BaseDirectory}; run the emulator from its build output inside the repository.");
    }

    /// <summary><c>functions/&lt;Name&gt;/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/&lt;Name&gt;.dll</c>, built with the emulator.</summary>
    internal string FunctionAssembly(LocalFunction function) =>
        Path.Join(Root, "functions", function.ProjectName, "bin", BuildMetadata("Configuration"), BuildMetadata("TargetFramework"), function.ProjectName + ".dll");

    private static string BuildMetadata(string key) =>
        typeof(RepositoryLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(attribute => attribute.Key == key)?.Value
        ?? throw new InvalidOperationException($"The emulator was built without the '{key}' assembly metadata (see Emulator.csproj).");
}
