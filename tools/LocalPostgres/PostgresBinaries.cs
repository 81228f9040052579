using System.Globalization;
using System.Text.RegularExpressions;

namespace InvoiceApi.LocalPostgres;

/// <summary>
/// A directory holding the PostgreSQL server binaries (initdb, pg_ctl, postgres) and their major version.
/// </summary>
public sealed partial class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";
    private static readonly string[] ServerTools = ["initdb", "pg_ctl", "postgres"];
    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(10);

    private PostgresBinaries(string binDirectory, int majorVersion)
    {
        BinDirectory = binDirectory;
        MajorVersion = majorVersion;
    }

    /// <summary>The directory that holds initdb, pg_ctl and postgres.</summary>
    public string BinDirectory { get; }

    /// <summary>The major version reported by <c>postgres --version</c>, for example 15.</summary>
    public int MajorVersion { get; }

    /// <summary>
    /// Finds the server binaries: pg_ctl on PATH first (symlinks resolved to the real directory, which must also
    /// hold initdb and postgres), then the highest version under /usr/lib/postgresql/*/bin.
    /// </summary>
    /// <exception cref="PostgresBinariesNotFoundException">No directory holds all three binaries.</exception>
    public static PostgresBinaries Locate()
    {
        string? directory = FindOnPath() ?? FindUnderDebianRoot();
        return directory is null ? throw new PostgresBinariesNotFoundException() : FromDirectory(directory);
    }

    /// <summary>Uses the server binaries in <paramref name="binDirectory"/>.</summary>
    /// <exception cref="PostgresBinariesNotFoundException">The directory lacks initdb, pg_ctl or postgres.</exception>
    public static PostgresBinaries FromDirectory(string binDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(binDirectory);
        string directory = Path.GetFullPath(binDirectory);
        if (!HoldsServerTools(directory))
        {
            throw new PostgresBinariesNotFoundException(
                $"'{directory}' does not hold initdb, pg_ctl and postgres. {PostgresBinariesNotFoundException.DefaultMessage}");
        }

        return new PostgresBinaries(directory, ReadMajorVersion(directory));
    }

    /// <summary>The full path of a tool in <see cref="BinDirectory"/>, for example "pgbench" or "psql".</summary>
    public string PathOf(string tool) => Path.Join(BinDirectory, tool);

    private static string? FindOnPath()
    {
        string[] pathDirectories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string pathDirectory in pathDirectories)
        {
            string candidate = Path.Join(pathDirectory, "pg_ctl");
            if (!File.Exists(candidate))
            {
                continue;
            }

            // /usr/local/bin/pg_ctl may be a symlink; its siblings initdb and postgres live next to the target.
            string realPath = File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? candidate;
            string? directory = Path.GetDirectoryName(realPath);
            if (directory is not null && HoldsServerTools(directory))
            {
                return directory;
            }
        }

        return null;
    }

    private static string? FindUnderDebianRoot()
    {
        if (!Directory.Exists(DebianRoot))
        {
            return null;
        }

        return Directory.EnumerateDirectories(DebianRoot)
            .Select(versionDirectory => (Version: ParseDirectoryVersion(versionDirectory), Bin: Path.Join(versionDirectory, "bin")))
            .Where(candidate => candidate.Version is not null && HoldsServerTools(candidate.Bin))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Bin)
            .FirstOrDefault();
    }

    // Directory names are "15" or, for old releases, "9.6"; decimal orders both correctly.
    private static decimal? ParseDirectoryVersion(string versionDirectory) =>
        decimal.TryParse(Path.GetFileName(versionDirectory), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal version)
            ? version
            : null;

    private static bool HoldsServerTools(string directory) =>
        ServerTools.All(tool => File.Exists(Path.Join(directory, tool)));

    private static int ReadMajorVersion(string directory)
    {
        // "postgres --version" is answered before the server's refuse-to-run-as-root check.
        ProcessResult result = ProcessRunner.Run(Path.Join(directory, "postgres"), ["--version"], VersionTimeout);
        result.EnsureSuccess(serverLogFile: null);
        Match match = VersionPattern().Match(result.StandardOutput);
        return match.Success
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"Could not read the PostgreSQL version from `{result.CommandLine}`: '{result.StandardOutput.Trim()}'.");
    }

    [GeneratedRegex(@"\(PostgreSQL\) (\d+)")]
    private static partial Regex VersionPattern();
}
