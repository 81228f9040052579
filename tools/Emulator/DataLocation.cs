namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Where the cluster keeps its data between runs: inside the clone (<c>.local/postgres/data</c>), or under /var/tmp
/// when the emulator runs as root and the <c>postgres</c> account cannot enter the clone (for example under /root).
/// </summary>
/// <param name="DataDirectory">The cluster's data directory.</param>
/// <param name="Note">Why the fallback was taken, to print; null inside the clone.</param>
internal sealed record DataLocation(string DataDirectory, string? Note)
{
    /// <summary>The folder holding the data directory, the server log and the password files; <c>--fresh</c> deletes it.</summary>
    internal string Folder => Path.GetDirectoryName(DataDirectory)!;

    internal static async Task<DataLocation> ChooseAsync(RepositoryLayout repository, CancellationToken cancellationToken)
    {
        var preferred = repository.RepositoryDataDirectory;
        if (!ServerAccountCommand.SwitchesAccount)
        {
            return new DataLocation(preferred, Note: null);
        }
        var closed = await FirstClosedDirectoryAsync(preferred, cancellationToken);
        if (closed is null)
        {
            return new DataLocation(preferred, Note: null);
        }
        return new DataLocation(repository.FallbackDataDirectory,
            $"data: {repository.FallbackDataDirectory} (PostgreSQL runs as '{ServerAccountCommand.PostgresAccount}' because the emulator is root, " +
            $"and '{ServerAccountCommand.PostgresAccount}' cannot enter {closed})");
    }

    // Checks the directories that exist (the missing rest will be created open enough): one process when all is well.
    private static async Task<string?> FirstClosedDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        var chain = ExistingSelfAndAncestorsFromRoot(path);
        if (await ServerAccountCommand.RunAsync("test", ["-x", chain[^1]], cancellationToken) == 0)
        {
            return null;
        }
        foreach (var directory in chain)
        {
            if (await ServerAccountCommand.RunAsync("test", ["-x", directory], cancellationToken) != 0)
            {
                return directory;
            }
        }
        return null;
    }

    private static List<string> ExistingSelfAndAncestorsFromRoot(string path)
    {
        var chain = new List<string>();
        for (var current = path; !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (Directory.Exists(current))
            {
                chain.Insert(0, current);
            }
        }
        return chain;
    }
}
