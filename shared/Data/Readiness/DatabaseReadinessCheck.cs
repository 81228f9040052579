using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Schema;
using InvoiceApi.Functions.Hosting.Readiness;

namespace InvoiceApi.Data.Readiness;

/// <summary>
/// Ready when the database answers, the login is one that row-level security holds (the runtime role, not the owner
/// or a superuser), and the schema has every table, column, index and policy the code expects.
/// </summary>
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
            return await InspectAsync(readOnlyQuery, subject: "", cancellationToken);
        }
        catch (DatabaseUnavailableException unavailable)
        {
            return ReadinessResult.NotReady(unavailable.Message);
        }
    }

    /// <summary>The login and schema problems of the database <paramref name="reads"/> reach, each sentence after <paramref name="subject"/>.</summary>
    /// <exception cref="DatabaseUnavailableException">The database cannot be reached.</exception>
    internal static async Task<ReadinessResult> InspectAsync(ReadOnlyQuery reads, string subject, CancellationToken cancellationToken)
    {
        var (loginProblem, differences) = await reads.RunAsync(async (connection, token) =>
            (await RuntimeLoginCheck.FindProblemAsync(connection, token), await SchemaVerifier.VerifyAsync(connection, ExpectedSchema.Tables, token)),
            cancellationToken);
        var problems = new List<string>();
        if (loginProblem is not null)
        {
            problems.Add(subject + loginProblem);
        }
        if (differences.Count > 0)
        {
            problems.Add(subject + "The database schema does not match the code; run the migrator (migrate), then check with verify.");
            problems.AddRange(differences.Select(difference => $"{subject}schema: {difference}."));
        }
        return new ReadinessResult(problems);
    }
}
