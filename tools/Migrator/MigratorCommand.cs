using System.CommandLine;
using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Migrations;
using InvoiceApi.Data.Schema;
using InvoiceApi.Tools.CommandLine;
using Npgsql;

namespace InvoiceApi.Tools.Migrations;

/// <summary>
/// <c>migrate</c> applies pending migrations then verifies the schema; <c>verify</c> compares the live schema with
/// what the code expects; <c>status</c> lists every migration and its state. Exit codes: 0 done, 1 refused or
/// differences found, 2 usage or configuration error, 3 database unreachable, 4 the login lacks the privileges.
/// </summary>
internal static class MigratorCommand
{
    private const int UsageOrConfigurationError = 2;

    private static readonly (string Verb, string Description)[] Verbs =
    [
        ("migrate", "Apply pending migrations (one at a time, each in its own transaction), then verify the schema."),
        ("verify", "Compare the live tables, columns and indexes with what the code expects."),
        ("status", "List every migration: applied, pending, changed since applied, or unknown to this code."),
    ];

    public static Task<int> RunAsync(string[] args, Func<string, string?> variable, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = new RootCommand("""
            Migrates the invoice database's schema; the pipeline runs it as a Cloud Run job before new code takes traffic.
            The database comes from the same variables the functions read: INSTANCE_CONNECTION_NAME, INSTANCE_HOST
            or DATABASE_URL, with DB_USER, DB_PASS, DB_NAME. Run it as the role that owns the schema.
            Exit codes: 0 done, 1 refused or differences found, 2 usage or configuration error, 3 database unreachable,
            4 the login lacks the privileges.
            """)
        {
            HelpName = "migrator",
        };
        foreach (var (verb, description) in Verbs)
        {
            var command = new Command(verb, description);
            command.SetAction((_, token) => RunVerbAsync(verb, variable, output, error, token));
            root.Subcommands.Add(command);
        }
        return ToolCommandLine.InvokeAsync(root, args, UsageOrConfigurationError, output, error, cancellationToken);
    }

    private static async Task<int> RunVerbAsync(string verb, Func<string, string?> variable, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        DatabaseEndpoint endpoint;
        try
        {
            endpoint = DatabaseEndpointResolver.Resolve(variable);
        }
        catch (DatabaseConfigurationException exception)
        {
            await error.WriteLineAsync(exception.Message);
            return UsageOrConfigurationError;
        }
        // Migrations may build indexes for minutes: no statement timeout for this one session.
        var options = new DatabasePoolOptions(1, TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromMinutes(10), "migrator");
        await using var dataSource = DataSourceFactory.Create(endpoint, options);
        try
        {
            // One probe through the connector first: unreachable or refused logins get its clear message and exit code 3.
            await using (var probe = await new DatabaseConnector(dataSource, endpoint, options).OpenAsync(cancellationToken))
            {
            }
            return verb switch
            {
                "migrate" => await MigrateAsync(dataSource, output, error, cancellationToken),
                "verify" => await VerifyAsync(dataSource, output, error, cancellationToken),
                _ => await StatusAsync(dataSource, output, cancellationToken),
            };
        }
        catch (DatabaseUnavailableException exception)
        {
            await error.WriteLineAsync(exception.Message);
            return 3;
        }
        catch (MigrationException exception)
        {
            await error.WriteLineAsync(exception.Message);
            return 1;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // The usual cause: the job or a developer ran it with the functions' runtime login.
            await error.WriteLineAsync(
                $"The login '{endpoint.User}' may not {WhatItDoes(verb)} ({exception.MessageText}). Run the migrator as the role " +
                "that owns the schema (on Cloud SQL the 'postgres' user, locally 'invoices_owner'), not as the functions' runtime login." +
                (endpoint.IamLogin
                    ? $" With DB_IAM_AUTH=true that is the migrator's own service account, given the owner's rights once: GRANT postgres TO \"{endpoint.User}\"; (docs/deploy.md, IAM database login)."
                    : ""));
            return 4;
        }
        catch (PostgresException exception)
        {
            await error.WriteLineAsync(
                $"The database refused to {WhatItDoes(verb)}: {exception.MessageText} (SQLSTATE {exception.SqlState}). The step that failed was rolled back and not recorded.");
            return 1;
        }
    }

    private static string WhatItDoes(string verb) => verb switch
    {
        "migrate" => "migrate the schema",
        "verify" => "verify the schema",
        _ => "read the migration history",
    };

    private static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var applied = await new Migrator(dataSource).MigrateAsync(cancellationToken);
        foreach (var migration in applied)
        {
            await output.WriteLineAsync($"applied {migration.Name}");
        }
        await output.WriteLineAsync(applied.Count == 0 ? "up to date: no pending migrations" : $"applied {applied.Count} migration(s)");
        return await VerifyAsync(dataSource, output, error, cancellationToken);
    }

    private static async Task<int> VerifyAsync(NpgsqlDataSource dataSource, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var differences = await SchemaVerifier.VerifyAsync(connection, ExpectedSchema.Tables, cancellationToken);
        if (differences.Count == 0)
        {
            await output.WriteLineAsync("schema verified: every expected table, column and index is present");
            return 0;
        }
        await error.WriteLineAsync($"schema does not match the code ({differences.Count} difference(s)):");
        foreach (var difference in differences)
        {
            await error.WriteLineAsync($"  - {difference}");
        }
        return 1;
    }

    private static async Task<int> StatusAsync(NpgsqlDataSource dataSource, TextWriter output, CancellationToken cancellationToken)
    {
        var states = await new Migrator(dataSource).StatusAsync(cancellationToken);
        await output.WriteLineAsync($"{"version",-8} {"status",-8} {"applied at (UTC)",-20} name");
        foreach (var state in states)
        {
            var appliedAt = state.AppliedAt is { } at ? at.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "-";
            await output.WriteLineAsync($"{state.Version,-8} {state.Status.ToString().ToLowerInvariant(),-8} {appliedAt,-20} {state.Name}");
        }
        return states.Any(s => s.Status is MigrationStatus.Changed or MigrationStatus.Unknown) ? 1 : 0;
    }
}
