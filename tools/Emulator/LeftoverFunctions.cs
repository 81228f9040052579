using System.Globalization;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Functions an emulator killed outright (SIGKILL, out of memory) left running, holding their ports: each run records
/// its functions' process ids, and the next run stops those still running the recorded function. A clean stop deletes
/// the record (<see cref="SingleInstanceLock"/>), so only a killed emulator leaves one.
/// </summary>
internal static class LeftoverFunctions
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    internal static void Record(RepositoryLayout repository, IEnumerable<RunningFunction> functions) =>
        File.WriteAllLines(RecordPath(repository), functions.Select(function =>
            string.Create(CultureInfo.InvariantCulture, $"{function.ProcessId} {repository.FunctionAssembly(function.Function)}")));

    internal static async Task StopAsync(RepositoryLayout repository, EmulatorConsole console)
    {
        var path = RecordPath(repository);
        if (!File.Exists(path))
        {
            return;
        }
        foreach (var line in await File.ReadAllLinesAsync(path))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var processId) && IsRunning(processId, parts[1]))
            {
                console.Info($"stopping {Path.GetFileName(parts[1])} (pid {processId}), left running by an emulator that was killed");
                await StopAsync(processId, parts[1]);
            }
        }
        File.Delete(path);
    }

    private static async Task StopAsync(int processId, string assembly)
    {
        UnixSignal.Terminate(processId);
        for (var waited = TimeSpan.Zero; waited < StopGrace && IsRunning(processId, assembly); waited += TimeSpan.FromMilliseconds(100))
        {
            await Task.Delay(100, CancellationToken.None);
        }
        if (IsRunning(processId, assembly))
        {
            UnixSignal.Kill(processId);
        }
    }

    // The command line must still name the function: the id alone may belong to an unrelated process by now.
    private static bool IsRunning(int processId, string assembly)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{processId}/cmdline").Split('\0');
            return commandLine.Contains(assembly, StringComparer.Ordinal);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal static string RecordPath(RepositoryLayout repository) => Path.Join(repository.RuntimeFolder, "functions.pids");
}
