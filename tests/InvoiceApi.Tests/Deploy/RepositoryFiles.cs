namespace InvoiceApi.Tests.Deploy;

/// <summary>The repository's own files (the root is the folder holding InvoiceApi.slnx above the test binaries).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Each deployable function: its folder name under functions/ and its assembly (the .csproj's name).</summary>
    public static IReadOnlyList<(string Folder, string Assembly)> Functions() =>
        Directory.GetDirectories(PathOf("functions"))
            .Select(folder => (Folder: Path.GetFileName(folder), Project: Directory.GetFiles(folder, "*.csproj").SingleOrDefault()))
            .Where(function => function.Project is not null)
            .Select(function => (function.Folder, Path.GetFileNameWithoutExtension(function.Project!)))
            .OrderBy(function => function.Folder, StringComparer.Ordinal)
            .ToList();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "InvoiceApi.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No InvoiceApi.slnx above {AppContext.BaseDirectory}.");
    }
}
