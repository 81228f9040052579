using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using InvoiceApi.Tests.OpenApi;

namespace InvoiceApi.Tests.Infrastructure;

/// <summary>
/// A function running as its own process, exactly as Cloud Run starts it (<c>dotnet Stats.dll</c>, or the native binary,
/// with PORT and the rest in its environment), with its stdout and stderr captured line by line.
/// </summary>
public sealed partial class FunctionProcess : IAsyncDisposable
{
    private const int Sigterm = 15;
    private static readonly string[] InheritedDatabaseVariables =
        ["K_SERVICE", "GOOGLE_CLOUD_PROJECT", "FUNCTION_TARGET", "PORT", "DATABASE_URL", "INSTANCE_CONNECTION_NAME", "INSTANCE_UNIX_SOCKET", "INSTANCE_HOST", "DB_PORT", "DB_USER", "DB_PASS", "DB_NAME"];

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private FunctionProcess(Process process, int port, OpenApiDescription? description)
    {
        _process = process;
        Port = port;
        var address = new Uri($"http://127.0.0.1:{port}");
        // As in-process: every answer Invoices or Stats gives a test is checked against the function's OpenAPI document.
        Client = description is null ? new HttpClient { BaseAddress = address } : ConformanceHandler.Client(description, address);
    }

    public int Port { get; }

    public HttpClient Client { get; }

    /// <summary>Every line the process wrote to stdout or stderr so far.</summary>
    public IReadOnlyList<string> Output => _output.ToArray();

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="name"/> (Invoices or Stats) and waits until it answers /healthz.</summary>
    public static Task<FunctionProcess> StartAsync(string name, Dictionary<string, string?> environment, CancellationToken cancellationToken) =>
        StartAsync(new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, name + ".dll") } }, environment, cancellationToken);

    /// <summary>Starts a published native binary (Native AOT, as the deploy image runs it) and waits until it answers /healthz.</summary>
    public static Task<FunctionProcess> StartExecutableAsync(string path, Dictionary<string, string?> environment, CancellationToken cancellationToken) =>
        StartAsync(new ProcessStartInfo(path), environment, cancellationToken);

    private static async Task<FunctionProcess> StartAsync(ProcessStartInfo start, Dictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var port = FreePort();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var variable in InheritedDatabaseVariables)
        {
            start.Environment.Remove(variable);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var name = Path.GetFileNameWithoutExtension(start.ArgumentList.Count > 0 ? start.ArgumentList[0] : start.FileName);
        var description = name switch { "Invoices" => OpenApiDescription.Invoices, "Stats" => OpenApiDescription.Stats, _ => null };
        var function = new FunctionProcess(process, port, description);
        process.OutputDataReceived += (_, line) => function.Record(line.Data);
        process.ErrorDataReceived += (_, line) => function.Record(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await function.WaitUntilHealthyAsync(cancellationToken);
        return function;
    }

    /// <summary>Sends SIGTERM, as Cloud Run does when it stops an instance.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until a line matching <paramref name="predicate"/> has been written.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var line = _output.FirstOrDefault(predicate);
            if (line is not null)
            {
                return line;
            }
            await Task.Delay(50, CancellationToken.None);
        }
        throw new TimeoutException($"No matching line within {limit}. Output:\n{string.Join('\n', _output)}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The function exited with {_process.ExitCode}:\n{string.Join('\n', _output)}");
            }
            try
            {
                using var response = await Client.GetAsync("/healthz", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new TimeoutException($"The function did not answer /healthz within 20 s:\n{string.Join('\n', _output)}");
    }

    // Below the ephemeral range: a released port-0 pick could be taken by another host's bind before the child binds it.
    private static int FreePort() => InvoiceApi.LocalPostgres.LoopbackPort.PickFree();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
