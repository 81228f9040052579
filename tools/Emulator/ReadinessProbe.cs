using System.Diagnostics;
using System.Net;

namespace InvoiceApi.Tools.Emulator;

/// <summary>Waits until a function answers <c>GET /readyz</c> with 200 (it reached the database), as a load balancer would.</summary>
internal static class ReadinessProbe
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <exception cref="EmulatorFailure">The function exited or was not ready within 20 s (exit code 1); the message ends with its last lines.</exception>
    internal static async Task WaitAsync(RunningFunction function, HttpClient client, StopSignal stop)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            stop.Token.ThrowIfCancellationRequested();
            if (function.HasExited)
            {
                await function.Exited;
                // Ctrl+C reaches the functions too (same process group): that exit is not a failure.
                await stop.ThrowIfRequestedWithinGraceAsync();
                throw Failure(function, $"{function.Function.ServiceName} exited with code {function.ExitCode} before it was ready.");
            }
            if (await IsReadyAsync(function.Function, client, stop.Token))
            {
                return;
            }
            if (clock.Elapsed > Limit)
            {
                throw Failure(function, $"{function.Function.ServiceName} did not answer GET /readyz with 200 within {Limit.TotalSeconds:0} s.");
            }
            await Task.Delay(Interval, stop.Token);
        }
    }

    private static async Task<bool> IsReadyAsync(LocalFunction function, HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(function.BaseAddress, "/readyz"), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The client's own timeout: still starting.
            return false;
        }
    }

    private static EmulatorFailure Failure(RunningFunction function, string sentence) =>
        new(ExitCodes.Failed, $"{sentence}\n{function.TailReport()}");
}
