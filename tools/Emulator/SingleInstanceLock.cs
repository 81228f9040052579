namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// One emulator per state folder: a second one would reuse the same data directory, and PostgresCluster stops a server it
/// finds running there, which would pull the database from under the first.
/// </summary>
internal sealed class SingleInstanceLock : IDisposable
{
    private readonly FileStream _file;
    private readonly RepositoryLayout _repository;

    private SingleInstanceLock(FileStream file, RepositoryLayout repository)
    {
        _file = file;
        _repository = repository;
    }

    /// <exception cref="EmulatorFailure">Another emulator of this clone holds the lock (exit code 2).</exception>
    internal static SingleInstanceLock Acquire(RepositoryLayout repository)
    {
        Directory.CreateDirectory(repository.RuntimeFolder);
        var path = Path.Join(repository.RuntimeFolder, "emulator.lock");
        try
        {
            // FileShare.None takes an exclusive flock on Unix; the kernel drops it when this process ends, however it ends.
            return new SingleInstanceLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), repository);
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

    /// <summary>
    /// Released last, once every function and PostgreSQL have stopped: a clean stop leaves neither the lock file nor the
    /// record of function processes (which only a killed emulator leaves, for the next run to act on).
    /// </summary>
    public void Dispose()
    {
        File.Delete(LeftoverFunctions.RecordPath(_repository));
        File.Delete(_file.Name);
        _file.Dispose();
    }
}
