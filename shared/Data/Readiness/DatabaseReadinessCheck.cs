using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Schema;
using InvoiceApi.Functions.Hosting.Readiness;

namespace InvoiceApi.Data.Readiness;

/// <summary>Ready when the database answers and its schema has every table, column and index the code expects.</summary>
public sealed class DatabaseReadinessCheck(ReadOnlyQuery readOnlyQuery, DatabaseEndpoint endpoint) : IReadinessCheck
{
    /// <inheritdoc />
    public string Name => "database";

    /// <inheritdoc />
    public string Target => endpoint.ToString();

    /// <inheritdoc />
    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var differences = await readOnlyQuery.RunAsync(
                (connection, token) => SchemaVerifier.VerifyAsync(connection, ExpectedSchema.Tables, token), cancellationToken);
            return differences.Count == 0
                ? ReadinessResult.Ready
                : new ReadinessResult(differences.Select(d => $"schema: {d}.").Prepend("The database schema does not match the code; run the migrator (migrate), then check with verify.").ToList());
        }
        catch (DatabaseUnavailableException unavailable)
        {
            return ReadinessResult.NotReady(unavailable.Message);
        }

    }
}
