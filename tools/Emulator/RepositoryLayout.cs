using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace InvoiceApi.Tools.Emulator;

/// <summary>Where things are: the repository root, the functions' build output, and the local data and socket folders.</summary>
internal sealed class RepositoryLayout
{
    private const string SolutionFile = "InvoiceApi.slnx";

    private RepositoryLayout(string root)
    {
        Root = root;
        // Short and stable per clone: socket paths must stay under 107 bytes, and two clones must not share a server.
        Tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..8];
    }

    /// <summary>The directory holding InvoiceApi.slnx.</summary>
    internal string Root { get; }

    /// <summary>Eight hex digits of a hash of <see cref="Root"/>, used in the folders outside the repository.</summary>
    internal string Tag { get; }

    /// <summary>The folder for this clone's sockets and lock: <c>/tmp/invoiceapi-&lt;tag&gt;</c>, not TMPDIR, which may be long.</summary>
    internal string RuntimeFolder => Path.Join("/tmp", $"invoiceapi-{Tag}");

    /// <summary>The directory standing in for Cloud Run's <c>/cloudsql</c>.</summary>
    internal string SocketRoot => Path.Join(RuntimeFolder, "cloudsql");

    /// <summary>The cluster's data directory inside the clone (git ignores <c>.local/</c>).</summary>
    internal string RepositoryDataDirectory => Path.Join(Root, ".local", "postgres", "data");

    /// <summary>The data directory used when the server account cannot reach the clone (for example under /root).</summary>
    internal string FallbackDataDirectory => Path.Join("/var/tmp", $"invoiceapi-{Tag}", "postgres", "data");

    /// <summary>Finds the repository by walking up from the emulator's own build output.</summary>
    /// <exception cref="EmulatorFailure">No parent directory holds InvoiceApi.slnx.</exception>
    internal static RepositoryLayout Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, SolutionFile)))
            {
                return new RepositoryLayout(directory.FullName);
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
