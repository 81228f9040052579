using System.Globalization;
using System.Runtime.Versioning;

namespace InvoiceApi.LocalPostgres;

/// <summary>
/// Makes a data directory ready to start: creates the directories, hands them to the server account, then either
/// runs initdb (empty directory) or checks and reuses the cluster already there.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ClusterProvisioner
{
    private static readonly TimeSpan InitDbTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Returns the superuser password of the (new or reused) cluster.</summary>
    internal static async Task<string> ProvisionAsync(
        PostgresBinaries binaries, ServerAccount account, PgCtl pgCtl, ClusterLayout layout, PostgresClusterOptions options,
        CancellationToken cancellationToken)
    {
        CreateDirectories(layout);
        await account.TakeOwnershipAsync([layout.DataDirectory, layout.SocketDirectory, layout.LogFile], cancellationToken);
        await account.EnsureCanEnterAsync(
            [layout.DataDirectory, layout.SocketDirectory, ParentOf(layout.LogFile), ParentOf(layout.PasswordFile)], cancellationToken);

        if (HoldsCluster(layout))
        {
            return await ReuseAsync(binaries, pgCtl, layout, options, cancellationToken);
        }

        return await CreateAsync(binaries, account, layout, options, cancellationToken);
    }

    private static void CreateDirectories(ClusterLayout layout)
    {
        Directory.CreateDirectory(layout.DataDirectory);
        Directory.CreateDirectory(layout.SocketDirectory);
        Directory.CreateDirectory(ParentOf(layout.LogFile));
        Directory.CreateDirectory(ParentOf(layout.PasswordFile));

        // Created here so the server account needs write access to the file only, never to a shared directory like /tmp.
        using (File.Open(layout.LogFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
        }
    }

    private static bool HoldsCluster(ClusterLayout layout) => File.Exists(Path.Join(layout.DataDirectory, "PG_VERSION"));

    private static async Task<string> CreateAsync(
        PostgresBinaries binaries, ServerAccount account, ClusterLayout layout, PostgresClusterOptions options, CancellationToken cancellationToken)
    {
        if (Directory.EnumerateFileSystemEntries(layout.DataDirectory).Any())
        {
            throw new InvalidOperationException(
                $"'{layout.DataDirectory}' is not empty but holds no cluster (no PG_VERSION file). Point DataDirectory at an empty or missing directory.");
        }

        string password = options.SuperUserPassword ?? SuperUserPasswordFile.Generate();
        SuperUserPasswordFile.Validate(password);
        SuperUserPasswordFile.Write(layout.PasswordFile, password);
        await account.TakeOwnershipAsync([layout.PasswordFile], cancellationToken);
        try
        {
            await InitDbAsync(binaries, account, layout, options.Fast, cancellationToken);
        }
        catch
        {
            // A killed initdb (cancelled, timed out) leaves a PG_VERSION behind; the next start would take it for a cluster.
            EmptyDirectory(layout.DataDirectory);
            throw;
        }

        return password;
    }

    private static void EmptyDirectory(string directory)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(directory))
        {
            if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null)
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    private static async Task InitDbAsync(
        PostgresBinaries binaries, ServerAccount account, ClusterLayout layout, bool fast, CancellationToken cancellationToken)
    {
        ProcessResult result = await RunInitDbAsync(binaries, account, layout, fast, "--locale=C.UTF-8", cancellationToken);

        // Some minimal images lack the C.UTF-8 locale; initdb removes what it wrote, so a second try starts clean.
        if (!result.Succeeded && (result.StandardError + result.StandardOutput).Contains("locale", StringComparison.OrdinalIgnoreCase))
        {
            result = await RunInitDbAsync(binaries, account, layout, fast, "--no-locale", cancellationToken);
        }

        result.EnsureSuccess(serverLogFile: null);
    }

    private static Task<ProcessResult> RunInitDbAsync(
        PostgresBinaries binaries, ServerAccount account, ClusterLayout layout, bool fast, string localeArgument, CancellationToken cancellationToken)
    {
        List<string> arguments =
        [
            "-D", layout.DataDirectory, "-U", PostgresCluster.SuperUserName, "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
            $"--pwfile={layout.PasswordFile}", "-E", "UTF8", localeArgument,
        ];
        if (fast)
        {
            // Skips the fsync of every new file: most of initdb's time, and pointless for a throwaway cluster.
            arguments.Add("--no-sync");
        }

        return account.RunAsync(binaries.PathOf("initdb"), arguments, InitDbTimeout, cancellationToken);
    }

    private static async Task<string> ReuseAsync(
        PostgresBinaries binaries, PgCtl pgCtl, ClusterLayout layout, PostgresClusterOptions options, CancellationToken cancellationToken)
    {
        EnsureSameMajorVersion(binaries, layout);
        string password = ResolveStoredPassword(layout, options.SuperUserPassword);

        // A server left running by an earlier, killed test run: stop it so this start applies our port and socket.
        if (await pgCtl.IsRunningAsync(cancellationToken))
        {
            await pgCtl.StopAsync(ShutdownMode.Fast, cancellationToken);
        }

        return password;
    }

    private static void EnsureSameMajorVersion(PostgresBinaries binaries, ClusterLayout layout)
    {
        string dataVersion = File.ReadAllText(Path.Join(layout.DataDirectory, "PG_VERSION")).Trim();
        if (dataVersion != binaries.MajorVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException(
                $"'{layout.DataDirectory}' was created by PostgreSQL {dataVersion}, but the binaries in '{binaries.BinDirectory}' are " +
                $"PostgreSQL {binaries.MajorVersion}. Delete the data directory to start from scratch, or use PostgreSQL {dataVersion}'s binaries.");
        }
    }

    private static string ResolveStoredPassword(ClusterLayout layout, string? given)
    {
        string? stored = SuperUserPasswordFile.Read(layout.PasswordFile);
        if (given is null)
        {
            return stored ?? throw new InvalidOperationException(
                $"'{layout.DataDirectory}' already holds a cluster, but its password file '{layout.PasswordFile}' is missing. " +
                "Pass SuperUserPassword, or delete the data directory to start from scratch.");
        }

        SuperUserPasswordFile.Validate(given);
        if (stored is not null && stored != given)
        {
            throw new InvalidOperationException(
                $"SuperUserPassword differs from the password this cluster was created with (stored in '{layout.PasswordFile}'). " +
                "Leave SuperUserPassword null to use the stored one, or delete the data directory to start from scratch.");
        }

        if (stored is null)
        {
            SuperUserPasswordFile.Write(layout.PasswordFile, given);
        }

        return given;
    }

    private static string ParentOf(string path) => Path.GetDirectoryName(path) ?? "/";
}
