using System.Collections.Concurrent;
using System.Diagnostics;
using InvoiceApi.Tools.Benchmarks.Publishing;

namespace InvoiceApi.Tools.Benchmarks.Processes;

/// <summary>A published function running as its own process on the server core, as Cloud Run runs the image's entrypoint.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lastLines = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    internal Uri BaseAddress { get; }

    internal int Pid => _process.Id;

    internal bool HasExited => _process.HasExited;

    internal static ServerProcess Start(PublishedFunction function, FunctionSettings settings, int port, CpuPinning pinning)
    {
        var start = StartInfo(function.Executable!, [], Path.GetDirectoryName(function.Executable!)!, pinning);
        settings.ApplyTo(start.Environment, port);
        return Launch(start, port, function.Executable!);
    }

    /// <summary>Any other server (the benchmark's peer stack) on the server cores, listening on <paramref name="port"/>.</summary>
    internal static ServerProcess Start(string executable, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        int port, CpuPinning pinning)
    {
        var start = StartInfo(executable, arguments, workingDirectory, pinning);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Launch(start, port, executable);
    }

    private static ProcessStartInfo StartInfo(string executable, IEnumerable<string> arguments, string workingDirectory, CpuPinning pinning)
    {
        var (file, pinned) = CpuPinning.On(pinning.ServerCores, executable, arguments);
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in pinned)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    private static ServerProcess Launch(ProcessStartInfo start, int port, string executable)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return server;
    }

    internal MemoryReading Memory() => MemoryReading.Of(Pid);

    /// <summary>The last lines the function printed, for a failure message.</summary>
    internal string Tail() => string.Join('\n', _lastLines);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The whole tree: the peer stack's gunicorn has worker processes of its own.
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _lastLines.Enqueue(line);
        while (_lastLines.Count > 20)
        {
            _lastLines.TryDequeue(out _);
        }
    }
}
