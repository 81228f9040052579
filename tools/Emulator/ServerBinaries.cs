using InvoiceApi.LocalPostgres;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// The PostgreSQL server binaries the emulator runs: the directory named by <c>POSTGRES_BIN_DIR</c> when it is set
/// (an unusual install, or a test), otherwise PATH then /usr/lib/postgresql/*/bin.
/// </summary>
internal static class ServerBinaries
{
    internal const string DirectoryVariable = "POSTGRES_BIN_DIR";
    private const string InstallHint = "install them with `sudo apt-get install -y postgresql` or set " + DirectoryVariable + " to their directory";

    /// <exception cref="EmulatorFailure">No directory holds initdb, pg_ctl and postgres (exit code 3), in one sentence.</exception>
    internal static PostgresBinaries Locate()
    {
        var directory = Environment.GetEnvironmentVariable(DirectoryVariable);
        try
        {
            return string.IsNullOrWhiteSpace(directory) ? PostgresBinaries.Locate() : PostgresBinaries.FromDirectory(directory);
        }
        catch (PostgresBinariesNotFoundException)
        {
            var where = string.IsNullOrWhiteSpace(directory)
                ? "on PATH or under /usr/lib/postgresql/*/bin"
                : $"in {directory} ({DirectoryVariable})";
            throw new EmulatorFailure(ExitCodes.Database, $"PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found {where}; {InstallHint}.");
        }
    }
}
