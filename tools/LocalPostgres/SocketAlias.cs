namespace InvoiceApi.LocalPostgres;

/// <summary>
/// The <c>.s.PGSQL.5432</c> symlink that lets clients connect exactly like on Cloud Run (socket directory, port 5432)
/// to a cluster listening on another port.
/// </summary>
internal static class SocketAlias
{
    internal const int CloudRunPort = 5432;

    internal static void Create(string socketDirectory, int port)
    {
        if (port == CloudRunPort)
        {
            return;
        }

        string alias = AliasPath(socketDirectory);
        Remove(socketDirectory);
        if (File.Exists(alias))
        {
            throw new InvalidOperationException(
                $"'{alias}' exists and is not a symlink: another server listens on port {CloudRunPort} in '{socketDirectory}'. " +
                "Give each cluster its own SocketRoot or InstanceConnectionName.");
        }

        // Relative target: the link keeps working if the socket root is bind-mounted elsewhere (as /cloudsql).
        File.CreateSymbolicLink(alias, ClusterLayout.SocketFileName(port));
    }

    /// <summary>Removes the alias when it is a symlink (ours, possibly stale); leaves a real socket alone.</summary>
    internal static void Remove(string socketDirectory)
    {
        var alias = new FileInfo(AliasPath(socketDirectory));
        if (alias.LinkTarget is not null)
        {
            alias.Delete();
        }
    }

    private static string AliasPath(string socketDirectory) => Path.Join(socketDirectory, ClusterLayout.SocketFileName(CloudRunPort));
}
