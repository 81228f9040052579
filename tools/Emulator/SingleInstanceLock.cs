namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// One emulator per state folder: a second one would reuse the same data directory, and PostgresCluster stops a server it
/// finds running there, which would pull the database from under the first.
/// </summary>
internal sealed class SingleInstanceLock : IDisposable
{
    private readonly FileStream _file;

    private SingleInstanceLock(FileStream file) => _file = file;

    /// <exception cref="EmulatorFailure">Another emulator of this clone holds the lock (exit code 2).</exception>
    internal static SingleInstanceLock Acquire(RepositoryLayout repository)
    {
        Directory.CreateDirectory(repository.RuntimeFolder);
        var path = Path.Join(repository.RuntimeFolder, "emulator.lock");
        try
        {
            // FileShare.None takes an exclusive flock on Unix; the kernel drops it when this process ends, however it ends.
            return new SingleInstanceLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (UnauthorizedAccessException)
        {
            throw new EmulatorFailure(ExitCodes.Usage,
                $"Cannot open {path}: {repository.RuntimeFolder} belongs to another account; run the emulator as that account or delete the folder.");
        }
        catch (IOException)
        {
            throw new EmulatorFailure(ExitCodes.Usage,
                $"Another emulator is already running with the data in {repository.StateFolder} (it holds {path}); stop it first or pass --data-dir.");
        }
    }

    public void Dispose() => _file.Dispose();
}
