namespace InvoiceApi.Tools.Benchmarks;

/// <summary>The clone the benchmark was built from: the directory above its build output that holds InvoiceApi.slnx.</summary>
internal static class RepositoryRoot
{
    internal static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "InvoiceApi.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No InvoiceApi.slnx above {AppContext.BaseDirectory}: run the benchmark from its build output in the repository.");
    }
}
