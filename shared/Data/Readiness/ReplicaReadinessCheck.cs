using InvoiceApi.Functions.Hosting.Readiness;

namespace InvoiceApi.Data.Readiness;

/// <summary>
/// The read replica, when one is configured and answers, held to the primary's rules: a login that row-level
/// security holds and the schema the code expects (a replica behind a migration is caught here, not by a 500). An
/// unreachable replica is no reason to be unready: reads fall back to the primary, which the database check covers.
/// </summary>
public sealed class ReplicaReadinessCheck(ReplicaReadOnlyQuery reads) : IReadinessCheck
{
    /// <inheritdoc />
    public string Name => "read replica";

    /// <inheritdoc />
    public string Target => reads.ReplicaEndpoint?.ToString() ?? "no read replica";

    /// <inheritdoc />
    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (reads.Replica is not { } replica)
        {
            return ReadinessResult.Ready;
        }
        try
        {
            return await DatabaseReadinessCheck.InspectAsync(replica, "Read replica: ", cancellationToken);
        }
        catch (Connection.DatabaseUnavailableException)
        {
            return ReadinessResult.Ready;
        }
    }
}
