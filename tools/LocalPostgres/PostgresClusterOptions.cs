using System.Text;

namespace InvoiceApi.LocalPostgres;

/// <summary>
/// Where a private PostgreSQL cluster keeps its data, socket and log, and how it listens.
/// </summary>
public sealed record PostgresClusterOptions
{
    /// <summary>
    /// The cluster's data directory: initialised with initdb when missing or empty, reused when it already
    /// holds a cluster (a PG_VERSION file).
    /// </summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// The directory Cloud Run mounts as <c>/cloudsql</c>, for example <c>/tmp/ivx-1234/cloudsql</c>; the socket goes in
    /// <c>SocketRoot/InstanceConnectionName</c>. Keep it short: a Unix socket path is limited to 107 bytes.
    /// </summary>
    public required string SocketRoot { get; init; }

    /// <summary>The Cloud SQL instance connection name, <c>project:region:instance</c>; colons are fine in a directory name.</summary>
    public string InstanceConnectionName { get; init; } = "local:dev:invoices";

    /// <summary>The TCP port on 127.0.0.1; null picks a free one.</summary>
    public int? Port { get; init; }

    /// <summary>
    /// The password of the <c>postgres</c> superuser. Null means: generate one for a new cluster, read the stored one
    /// back (from <see cref="PasswordFile"/>) for a reused cluster. A value given for a reused cluster must match the stored one.
    /// </summary>
    public string? SuperUserPassword { get; init; }

    /// <summary>
    /// fsync and full_page_writes off (and initdb --no-sync): fast, for tests; an OS crash may corrupt the cluster.
    /// synchronous_commit stays on, so a commit survives <see cref="PostgresCluster.StopImmediateAsync"/> as it would a real crash.
    /// </summary>
    public bool Fast { get; init; } = true;

    /// <summary>The server log; default <c>&lt;DataDirectory&gt;/../postgres.log</c>.</summary>
    public string LogFile
    {
        get => field ?? NextToDataDirectory("postgres.log");
        init;
    }

    /// <summary>
    /// Where the superuser password is stored (mode 0600) when the cluster is created, and read back when it is reused;
    /// default <c>&lt;DataDirectory&gt;/../postgres.password</c>.
    /// </summary>
    public string PasswordFile
    {
        get => field ?? NextToDataDirectory("postgres.password");
        init;
    }

    /// <summary>The server binaries to use; null means <see cref="PostgresBinaries.Locate"/>.</summary>
    public PostgresBinaries? Binaries { get; init; }

    private string NextToDataDirectory(string fileName) =>
        Path.Join(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(DataDirectory ?? "")), fileName);

    // Keeps the password out of ToString, which ends up in test output and logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"DataDirectory = {DataDirectory}, SocketRoot = {SocketRoot}, InstanceConnectionName = {InstanceConnectionName}, ");
        builder.Append($"Port = {Port}, SuperUserPassword = {(SuperUserPassword is null ? "(null)" : "***")}, Fast = {Fast}, ");
        builder.Append($"LogFile = {LogFile}, PasswordFile = {PasswordFile}, Binaries = {Binaries?.BinDirectory}");
        return true;
    }
}
