namespace InvoiceApi.Functions.Hosting.Readiness;

/// <summary>One thing <c>GET /readyz</c> checks before the service takes traffic (for example: database reachable, schema verified).</summary>
public interface IReadinessCheck
{
    /// <summary>Short name, used as the key of the check's messages in the 503 problem.</summary>
    string Name { get; }

    /// <summary>What the check reaches, for the message when it does not answer in time (for example the database host).</summary>
    string Target { get; }

    /// <summary>Checks readiness; must honour <paramref name="cancellationToken"/> (the host gives every check 2 seconds).</summary>
    Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken);
}
