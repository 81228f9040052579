using System.Text;

namespace InvoiceApi.LocalPostgres;

/// <summary>The cluster's absolute paths, checked against the limits of Unix sockets and of pg_ctl's shell command.</summary>
internal sealed record ClusterLayout(
    string DataDirectory, string SocketRoot, string InstanceConnectionName, string SocketDirectory, string LogFile, string PasswordFile)
{
    // sun_path is 108 bytes including the terminating NUL.
    internal const int MaxSocketPathBytes = 107;

    // The longest name the server gives its socket file: ".s.PGSQL." plus a five-digit port.
    private const string LongestSocketFileName = ".s.PGSQL.65535";

    // pg_ctl pastes -D, -l and -o into a /bin/sh command line inside double quotes; these would break out of them.
    private static readonly char[] ShellBreakingCharacters = ['"', '$', '`', '\\'];

    // unix_socket_directories is a comma-separated list; -o goes through the shell, where we single-quote the value.
    private static readonly char[] SocketDirectoryBreakingCharacters = [',', '\'', '"', '$', '`', '\\', ' ', '\t', '\n', '\r'];

    internal static ClusterLayout From(PostgresClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.SocketRoot);
        ValidateInstanceConnectionName(options.InstanceConnectionName);

        string socketRoot = FullPath(options.SocketRoot);
        var layout = new ClusterLayout(
            FullPath(options.DataDirectory),
            socketRoot,
            options.InstanceConnectionName,
            Path.Join(socketRoot, options.InstanceConnectionName),
            FullPath(options.LogFile),
            FullPath(options.PasswordFile));
        layout.Validate();
        return layout;
    }

    /// <summary>The socket file the server creates for <paramref name="port"/>.</summary>
    internal string SocketFile(int port) => Path.Join(SocketDirectory, SocketFileName(port));

    internal static string SocketFileName(int port) => $".s.PGSQL.{port}";

    private static string FullPath(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static void ValidateInstanceConnectionName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"InstanceConnectionName '{name}' must be a single directory name such as 'project:region:instance'.");
        }
    }

    private void Validate()
    {
        string longestSocket = Path.Join(SocketDirectory, LongestSocketFileName);
        int socketBytes = Encoding.UTF8.GetByteCount(longestSocket);
        if (socketBytes > MaxSocketPathBytes)
        {
            throw new ArgumentException(
                $"The Unix socket path '{longestSocket}' would be {socketBytes} bytes; the limit is {MaxSocketPathBytes}. " +
                $"Use a shorter SocketRoot (for example /tmp/ivx-{Environment.ProcessId}/cloudsql) or a shorter InstanceConnectionName.");
        }

        RejectCharacters(SocketDirectory, SocketDirectoryBreakingCharacters, "SocketRoot/InstanceConnectionName");
        RejectCharacters(DataDirectory, ShellBreakingCharacters, nameof(PostgresClusterOptions.DataDirectory));
        RejectCharacters(LogFile, ShellBreakingCharacters, nameof(PostgresClusterOptions.LogFile));
    }

    private static void RejectCharacters(string path, char[] forbidden, string optionName)
    {
        int index = path.IndexOfAny(forbidden);
        if (index >= 0)
        {
            throw new ArgumentException(
                $"{optionName} '{path}' contains '{path[index]}', which pg_ctl's shell command or PostgreSQL's socket list cannot carry. Choose a plainer path.");
        }
    }
}
