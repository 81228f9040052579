using System.Collections.Concurrent;

namespace InvoiceApi.Tests.Infrastructure;

/// <summary>
/// Folders under /tmp that tests write keys and secrets into: each is deleted when the test process exits, so a run
/// leaves no private key behind.
/// </summary>
public static class TemporaryFolder
{
    private static readonly ConcurrentBag<string> Created = [];

    static TemporaryFolder() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();

    /// <summary>A new, empty folder whose name starts with <paramref name="prefix"/>.</summary>
    public static string Create(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        Created.Add(path);
        return path;
    }

    private static void DeleteAll()
    {
        foreach (var path in Created)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // Still in use by a process that outlived the run; /tmp's own cleanup takes it.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
