using InvoiceApi.Data.Connection;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.Data.IamLogin;

/// <summary>
/// A migrated database with an IAM-style login (named like a service account, a member of invoice_api_runtime, whose
/// password is the stand-in metadata server's current token) and a data source logging in as it with DB_IAM_AUTH=true
/// over the Unix socket, as on Cloud Run.
/// </summary>
internal sealed class IamLab : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly string _user;

    private IamLab(TestDatabase database, string user, MetadataServerStandIn metadata, DatabasePoolOptions options)
    {
        _database = database;
        _user = user;
        Metadata = metadata;
        Options = options;
        DataSource = DataSourceFactory.Create(EndpointWith(metadata.Host), options);
        Connector = new DatabaseConnector(DataSource, EndpointWith(metadata.Host), options);
    }

    public MetadataServerStandIn Metadata { get; }

    public DatabasePoolOptions Options { get; }

    public NpgsqlDataSource DataSource { get; }

    public DatabaseConnector Connector { get; }

    public static string NewToken() => "ya29.test-" + Guid.NewGuid().ToString("N");

    /// <summary>A lab whose login is a member of <paramref name="memberOf"/> (the runtime role, or the schema's owner for a migrator).</summary>
    public static async Task<IamLab> StartAsync(PostgresServer server, string user, TimeSpan? refresh = null, string memberOf = "invoice_api_runtime")
    {
        var database = await server.CreateDatabaseAsync(migrated: true, TestContext.Current.CancellationToken);
        var token = NewToken();
        var metadata = await MetadataServerStandIn.StartAsync(token);
        var options = DatabasePoolOptions.Read(_ => null, "iam-login-test") with { AccessTokenRefresh = refresh ?? TimeSpan.FromMinutes(1) };
        var lab = new IamLab(database, user, metadata, options);
        await lab.ExecuteAsync($"CREATE ROLE \"{user}\" LOGIN PASSWORD '{token}' IN ROLE \"{memberOf}\"");
        return lab;
    }

    /// <summary>The endpoint the code resolves from the deploy's variables: the socket, DB_IAM_AUTH=true, no DB_PASS.</summary>
    public DatabaseEndpoint EndpointWith(string metadataHost)
    {
        var variables = Variables(metadataHost);
        return DatabaseEndpointResolver.Resolve(name => variables.GetValueOrDefault(name));
    }

    /// <summary>The deploy's database variables for IAM login: the socket, DB_USER, DB_IAM_AUTH=true, GCE_METADATA_HOST, no DB_PASS.</summary>
    public Dictionary<string, string?> Variables(string? metadataHost = null)
    {
        var variables = _database.RuntimeSocketVariables();
        variables.Remove("DB_PASS");
        variables["DB_USER"] = _user;
        variables["DB_IAM_AUTH"] = "true";
        variables["GCE_METADATA_HOST"] = metadataHost ?? Metadata.Host;
        return variables;
    }

    public Task SetPasswordAsync(string password) => ExecuteAsync($"ALTER ROLE \"{_user}\" PASSWORD '{password}'");

    private async Task ExecuteAsync(string sql)
    {
        await using var admin = _database.AdminDataSource();
        await using var command = admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Metadata.DisposeAsync();
    }
}
