using InvoiceApi.Data.Connection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InvoiceApi.Data.Readiness;

/// <summary>
/// The read replica, when it answers, held to the primary's rules: a login that row-level security holds and the schema
/// the code expects (a replica behind a migration is caught here, not by a 500). An unreachable replica is no reason to
/// be unready: reads fall back to the primary, which the database check covers. Registered only with a replica.
/// </summary>
public sealed class ReplicaReadinessCheck(ReadOnlyQuery replica) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return DatabaseReadinessCheck.Result(await DatabaseReadinessCheck.InspectAsync(replica, "Read replica: ", cancellationToken));
        }
        catch (DatabaseUnavailableException)
        {
            return HealthCheckResult.Healthy();
        }
    }
}
