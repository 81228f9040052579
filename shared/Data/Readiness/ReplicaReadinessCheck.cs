using InvoiceApi.Data.Connection;
using InvoiceApi.Functions.Hosting.Readiness;

namespace InvoiceApi.Data.Readiness;

/// <summary>
/// The read replica, when it answers, held to the primary's rules: a login that row-level security holds and the schema
/// the code expects (a replica behind a migration is caught here, not by a 500). An unreachable replica is no reason to
/// be unready: reads fall back to the primary, which the database check covers. Registered only with a replica.
/// </summary>
public sealed class ReplicaReadinessCheck(ReadOnlyQuery replica, DatabaseEndpoint endpoint) : IReadinessCheck
{
    /// <inheritdoc />
    public string Name => "read replica";

    /// <inheritdoc />
    public string Target => endpoint.ToString();

    /// <inheritdoc />
    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await DatabaseReadinessCheck.InspectAsync(replica, "Read replica: ", cancellationToken);
        }
        catch (DatabaseUnavailableException)
        {
            return ReadinessResult.Ready;
        }
    }
}
