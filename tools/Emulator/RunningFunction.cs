using System.Diagnostics;

namespace InvoiceApi.Tools.Emulator;

/// <summary>A function's process: its output forwarded to the console line by line, its last lines kept for error reports.</summary>
internal sealed class RunningFunction : IAsyncDisposable
{
    private const int TailLength = 20;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly EmulatorConsole _console;
    private readonly Queue<string> _tail = new();

    internal RunningFunction(LocalFunction function, Process process, EmulatorConsole console)
    {
        Function = function;
        _process = process;
        _console = console;
        var output = Task.WhenAll(ForwardAsync(process.StandardOutput), ForwardAsync(process.StandardError));
        Exited = WaitForExitAsync(output);
    }

    internal LocalFunction Function { get; }

    /// <summary>Completes when the process has exited and all it wrote has been forwarded.</summary>
    internal Task<RunningFunction> Exited { get; }

    internal int ProcessId => _process.Id;

    internal bool HasExited => _process.HasExited;

    internal int ExitCode => _process.ExitCode;

    /// <summary>The last lines the function wrote, as rendered on the console.</summary>
    internal IReadOnlyList<string> Tail()
    {
        lock (_tail)
        {
            return [.. _tail];
        }
    }

    /// <summary>The function's last lines under a heading, for a failure report.</summary>
    internal string TailReport()
    {
        var tail = Tail();
        return tail.Count == 0
            ? $"({Function.ServiceName} wrote nothing)"
            : $"{(tail.Count == 1 ? "last line" : $"last {tail.Count} lines")} of {Function.ServiceName}:\n" + string.Join('\n', tail.Select(line => "  " + line));
    }

    /// <summary>SIGTERM, as Cloud Run sends it; SIGKILL to the whole tree when it has not exited after 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited && UnixSignal.Terminate(_process.Id))
        {
            try
            {
                await Exited.WaitAsync(StopGrace);
            }
            catch (TimeoutException)
            {
                _console.Problem($"{Function.ServiceName} did not stop within {StopGrace.TotalSeconds:0} s of SIGTERM; killing it.");
                KillTree();
            }
        }
        await Exited;
        _process.Dispose();
    }

    private void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
    }

    private async Task ForwardAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            var rendered = LogLineRenderer.Render(line);
            Remember(rendered);
            _console.FunctionLines(Function.ServiceName, rendered);
        }
    }

    private void Remember(IReadOnlyList<string> lines)
    {
        lock (_tail)
        {
            foreach (var line in lines)
            {
                _tail.Enqueue(line);
                if (_tail.Count > TailLength)
                {
                    _tail.Dequeue();
                }
            }
        }
    }

    private async Task<RunningFunction> WaitForExitAsync(Task output)
    {
        await _process.WaitForExitAsync(CancellationToken.None);
        await output;
        return this;
    }
}
