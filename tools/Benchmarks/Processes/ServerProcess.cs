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
        var (file, arguments) = CpuPinning.On(pinning.ServerCores, function.Executable!, []);
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(function.Executable!)!,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        settings.ApplyTo(start.Environment, port);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{function.Executable} did not start.");
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
            _process.Kill();
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
