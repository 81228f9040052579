using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Schema;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InvoiceApi.Data.Readiness;

/// <summary>
/// Ready when the database answers, the login is one that row-level security holds (the runtime role, not the owner
/// or a superuser), and the schema has every table, column, index and policy the code expects. A failed result holds
/// each problem as a sentence in its <see cref="ProblemsKey"/> data.
/// </summary>
public sealed class DatabaseReadinessCheck(ReadOnlyQuery readOnlyQuery) : IHealthCheck
{
    /// <summary>The key of a failed result's data that holds its problems, a list of sentences.</summary>
    public const string ProblemsKey = "problems";

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return Result(await InspectAsync(readOnlyQuery, subject: "", cancellationToken));
        }
        catch (DatabaseUnavailableException unavailable)
        {
            return Result([unavailable.Message]);
        }
    }


    /// <summary>Healthy without problems; otherwise unhealthy with them, joined in the description and listed in the data.</summary>
    internal static HealthCheckResult Result(IReadOnlyList<string> problems) => problems.Count == 0
        ? HealthCheckResult.Healthy()
        : HealthCheckResult.Unhealthy(string.Join(" ", problems), data: new Dictionary<string, object> { [ProblemsKey] = problems });

    /// <summary>The login and schema problems of the database <paramref name="reads"/> reach, each sentence after <paramref name="subject"/>.</summary>
    /// <exception cref="DatabaseUnavailableException">The database cannot be reached.</exception>
    internal static async Task<IReadOnlyList<string>> InspectAsync(ReadOnlyQuery reads, string subject, CancellationToken cancellationToken)
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
        return problems;
    }
}
