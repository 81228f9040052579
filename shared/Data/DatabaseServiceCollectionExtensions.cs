using InvoiceApi.Data.Connection;
using InvoiceApi.Data.Readiness;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Hosting.Problems;
using InvoiceApi.Functions.Hosting.Readiness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace InvoiceApi.Data;

/// <summary>Registers the data layer in a function's services.</summary>
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
        services.AddSingleton<IReadinessCheck, DatabaseReadinessCheck>();
        services.AddSingleton<SchemaMismatchAlarm>();
        services.AddSingleton<IProblemMapper, DatabaseProblemMapper>();
        services.AddHostedService<DatabaseEndpointAnnouncer>();
        return services;
    }
}
