using InvoiceApi.Data;
using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Readiness;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Readiness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InvoiceApi.Functions.Api.Database;

/// <summary>Registers the data layer in a function's services, with its readiness checks and the 503 mapping of database outages.</summary>
public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Adds the process's one data source (resolved now from <paramref name="configuration"/>, so a deploy with a wrong or
    /// missing setting fails at start with a message naming the variables), the connector, the read-only helper,
    /// the readiness check and the 503 mapping of database outages.
    /// </summary>
    /// <exception cref="DatabaseConfigurationException">The configuration does not say how to reach the database.</exception>
    public static IServiceCollection AddInvoiceDatabase(this IServiceCollection services, IConfiguration configuration, string applicationName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoint = DatabaseEndpointResolver.Resolve(name => configuration[name]);
        var options = DatabasePoolOptions.Read(name => configuration[name], configuration["K_SERVICE"] ?? applicationName);
        services.AddSingleton(endpoint);
        services.AddSingleton(options);
        services.AddSingleton(_ => DataSourceFactory.Create(endpoint, options));
        services.AddSingleton<DatabaseConnector>();
        services.AddSingleton<ReadOnlyQuery>();
        services.AddSingleton<CallerTransaction>();
        services.AddReadinessCheck("database", endpoint.ToString(),
            provider => new DatabaseReadinessCheck(provider.GetRequiredService<ReadOnlyQuery>()));
        services.AddSingleton<SchemaMismatchAlarm>();
        services.AddSingleton<IProblemMapper, DatabaseProblemMapper>();
        services.AddHostedService<DatabaseEndpointAnnouncer>();
        return services;
    }

    /// <summary>
    /// Registers a <see cref="ReplicaReadOnlyQuery"/> whose replica comes from the <paramref name="prefix"/>_* variables
    /// (see <see cref="ReadReplicaEndpoint"/>), with its readiness check; call after <see cref="AddInvoiceDatabase"/>.
    /// Wrong replica settings fail the start. <paramref name="createDataSource"/> builds the replica's pool
    /// (default <see cref="DataSourceFactory.Create"/>).
    /// </summary>
    public static IServiceCollection AddReplicaReadOnlyQuery(this IServiceCollection services, IConfiguration configuration, string prefix,
        Func<DatabaseEndpoint, DatabasePoolOptions, NpgsqlDataSource>? createDataSource = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var replica = ReadReplicaEndpoint.Resolve(prefix, name => configuration[name]);
        services.AddSingleton(provider => new ReplicaReadOnlyQuery(provider.GetRequiredService<ReadOnlyQuery>(), replica,
            provider.GetRequiredService<DatabasePoolOptions>(), provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetRequiredService<ILogger<ReplicaReadOnlyQuery>>(), createDataSource));
        if (replica is not null)
        {
            services.AddReadinessCheck("read replica", replica.ToString(),
                provider => new ReplicaReadinessCheck(provider.GetRequiredService<ReplicaReadOnlyQuery>().Replica!));
        }
        return services;
    }
}
