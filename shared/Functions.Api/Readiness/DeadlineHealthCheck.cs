using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InvoiceApi.Functions.Api.Readiness;

/// <summary>
/// Runs a readiness check within <see cref="Timeout"/> and turns a check that throws into a failed check, never a 500 from
/// the probe. ASP.NET Core's health check service only cancels a check at its timeout, and drivers do not always honour
/// cancellation while connecting, so the deadline is enforced here, not trusted to the check.
/// </summary>
internal sealed class DeadlineHealthCheck(IHealthCheck check, string name, string target) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var running = GuardedAsync(context, deadline.Token);
        var finished = await Task.WhenAny(running, Task.Delay(Timeout, cancellationToken));
        return finished == running ? await running : NoAnswer();
    }

    private async Task<HealthCheckResult> GuardedAsync(HealthCheckContext context, CancellationToken deadline)
    {
        try
        {
            return await check.CheckHealthAsync(context, deadline);
        }
        catch (Exception) when (deadline.IsCancellationRequested)
        {
            return NoAnswer();
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy($"{name}: {SecretMask.Redact(exception.Message)}");
        }
    }

    private HealthCheckResult NoAnswer() => HealthCheckResult.Unhealthy($"No answer within {Timeout.TotalSeconds:0} s from {target}.");
}
