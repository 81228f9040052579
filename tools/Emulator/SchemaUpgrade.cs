using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Migrations;
using InvoiceApi.Data.Schema;
using Npgsql;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Runs the real migrator, then the schema verifier, as the schema's owner and through the same variables the
/// functions get, so a local run takes the production code path.
/// </summary>
internal static class SchemaUpgrade
{
    /// <exception cref="EmulatorFailure">The database is unreachable (3), a migration is refused or the schema differs (1).</exception>
    internal static async Task RunAsync(IReadOnlyDictionary<string, string> functionEnvironment, EmulatorConsole console, CancellationToken cancellationToken)
    {
        var endpoint = DatabaseEndpointResolver.Resolve(name => functionEnvironment.GetValueOrDefault(name));
        // Migrations may build indexes for minutes: no statement timeout, as in the Migrator tool.
        var options = new DatabasePoolOptions(1, TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromMinutes(10), "emulator-migrator");
        await using var dataSource = DataSourceFactory.Create(endpoint, options);
        try
        {
            // One probe through the connector first: an unreachable socket or a refused login gets its clear message.
            await using (await new DatabaseConnector(dataSource, endpoint, options).OpenAsync(cancellationToken))
            {
            }
            var applied = await new Migrator(dataSource).MigrateAsync(cancellationToken);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var differences = await SchemaVerifier.VerifyAsync(connection, ExpectedSchema.Tables, cancellationToken);
            if (differences.Count > 0)
            {
                throw new EmulatorFailure(ExitCodes.Failed,
                    $"The schema does not match the code ({differences.Count} difference(s)):\n" + string.Join('\n', differences.Select(difference => $"  - {difference}")));
            }
            console.Info($"migrations: {applied.Count} applied, schema verified");
        }
        catch (DatabaseUnavailableException exception)
        {
            throw new EmulatorFailure(ExitCodes.Database, exception.Message);
        }
        catch (MigrationException exception)
        {
            throw new EmulatorFailure(ExitCodes.Failed, exception.Message);
        }
        catch (PostgresException exception)
        {
            throw new EmulatorFailure(ExitCodes.Failed, $"A migration failed as {endpoint}: {exception.SqlState} {exception.MessageText}");
        }
    }
}
