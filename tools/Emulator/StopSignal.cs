using System.Runtime.InteropServices;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Ctrl+C (SIGINT), SIGTERM and SIGHUP (terminal closed) all ask for the same orderly stop: the process does not die
/// on them, it cancels <see cref="Token"/> and shuts the functions and PostgreSQL down.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    // Ctrl+C reaches the functions at the same instant; their exit is not a crash if the stop follows within this.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _source = new();
    private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration[] _registrations;

    internal StopSignal()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal),
        ];
    }

    internal CancellationToken Token => _source.Token;

    internal bool IsRequested => _source.IsCancellationRequested;

    /// <summary>Completes when a stop is asked for.</summary>
    internal Task WaitAsync() => _requested.Task;

    /// <summary>Throws <see cref="OperationCanceledException"/> when a stop is asked for now or within a second.</summary>
    internal async Task ThrowIfRequestedWithinGraceAsync()
    {
        await Task.WhenAny(WaitAsync(), Task.Delay(Grace, CancellationToken.None));
        _source.Token.ThrowIfCancellationRequested();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Request();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Request();
    }

    private void Request()
    {
        _requested.TrySetResult();
        _source.Cancel();
    }
}
