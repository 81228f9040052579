using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InvoiceApi.Functions.Api.Readiness;

/// <summary>Registers what <c>GET /readyz</c> checks before the service takes traffic (for example: database reachable, schema verified).</summary>
public static class ReadinessChecks
{
    /// <summary>
    /// Adds a health check named <paramref name="name"/> (the key of its messages in the 503 problem) that must answer
    /// within 2 s; <paramref name="target"/> names what it reaches, for the message when it does not answer in time.
    /// </summary>
    public static IServiceCollection AddReadinessCheck(this IServiceCollection services, string name, string target, Func<IServiceProvider, IHealthCheck> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            name, provider => new DeadlineHealthCheck(create(provider), name, target), HealthStatus.Unhealthy, tags: null));
        return services;
    }
}
