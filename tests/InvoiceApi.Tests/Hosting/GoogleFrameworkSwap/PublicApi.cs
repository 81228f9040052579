using System.Reflection;
using System.Runtime.Loader;

namespace InvoiceApi.Tests.Hosting.GoogleFrameworkSwap;

/// <summary>
/// The public (and protected) API of Google.Cloud.Functions.Framework and Google.Cloud.Functions.Hosting 3.0.1, one line
/// per member, as read from Google's sources at that release; and the same description of a built assembly, so the
/// stand-in can be held to it.
/// </summary>
public static class PublicApi
{
    public static readonly IReadOnlyList<string> Framework301 =
    [
        "Google.Cloud.Functions.Framework.CloudEventAdapter: .ctor(ICloudEventFunction, CloudEventFormatter, ILogger`1)",
        "Google.Cloud.Functions.Framework.CloudEventAdapter: HandleAsync(HttpContext)",
        "Google.Cloud.Functions.Framework.CloudEventAdapter`1: .ctor(ICloudEventFunction`1, CloudEventFormatter, ILogger`1)",
        "Google.Cloud.Functions.Framework.CloudEventAdapter`1: .ctor(ICloudEventFunction`1, ILogger`1)",
        "Google.Cloud.Functions.Framework.CloudEventAdapter`1: HandleAsync(HttpContext)",
        "Google.Cloud.Functions.Framework.GcfEvents.Resource: .ctor()",
        "Google.Cloud.Functions.Framework.GcfEvents.Resource: Name",
        "Google.Cloud.Functions.Framework.GcfEvents.Resource: Service",
        "Google.Cloud.Functions.Framework.GcfEvents.Resource: Type",
        "Google.Cloud.Functions.Framework.ICloudEventFunction: HandleAsync(CloudEvent, CancellationToken)",
        "Google.Cloud.Functions.Framework.ICloudEventFunction`1: HandleAsync(CloudEvent, TData, CancellationToken)",
        "Google.Cloud.Functions.Framework.IHttpFunction: HandleAsync(HttpContext)",
        "Google.Cloud.Functions.Framework.IHttpRequestReader`1: ReadRequestAsync(HttpRequest)",
        "Google.Cloud.Functions.Framework.IHttpResponseWriter`1: WriteResponseAsync(HttpResponse, TResponse)",
        "Google.Cloud.Functions.Framework.ITypedFunction`2: HandleAsync(TRequest, CancellationToken)",
        "Google.Cloud.Functions.Framework.TypedFunctionAdapter`2: .ctor(ITypedFunction`2, IHttpRequestReader`1, IHttpResponseWriter`1, ILogger`1)",
        "Google.Cloud.Functions.Framework.TypedFunctionAdapter`2: HandleAsync(HttpContext)",
    ];

    public static readonly IReadOnlyList<string> Hosting301 =
    [
        "Google.Cloud.Functions.Hosting.EntryPoint: FunctionTargetEnvironmentVariable",
        "Google.Cloud.Functions.Hosting.EntryPoint: PortEnvironmentVariable",
        "Google.Cloud.Functions.Hosting.EntryPoint: StartAsync(Assembly, String[])",
        "Google.Cloud.Functions.Hosting.FunctionsStartup: .ctor()",
        "Google.Cloud.Functions.Hosting.FunctionsStartup: Configure(WebHostBuilderContext, IApplicationBuilder)",
        "Google.Cloud.Functions.Hosting.FunctionsStartup: ConfigureAppConfiguration(WebHostBuilderContext, IConfigurationBuilder)",
        "Google.Cloud.Functions.Hosting.FunctionsStartup: ConfigureLogging(WebHostBuilderContext, ILoggingBuilder)",
        "Google.Cloud.Functions.Hosting.FunctionsStartup: ConfigureServices(WebHostBuilderContext, IServiceCollection)",
        "Google.Cloud.Functions.Hosting.FunctionsStartupAttribute: .ctor(Type)",
        "Google.Cloud.Functions.Hosting.FunctionsStartupAttribute: GetStartupTypes(Assembly, Type)",
        "Google.Cloud.Functions.Hosting.FunctionsStartupAttribute: Order",
        "Google.Cloud.Functions.Hosting.FunctionsStartupAttribute: StartupType",
        "Microsoft.AspNetCore.Hosting.ApplicationBuilderExtensions: UseFunctionsFramework(IApplicationBuilder, WebHostBuilderContext)",
        "Microsoft.AspNetCore.Hosting.FunctionsFrameworkWebHostBuilderExtensions: ConfigureKestrelForFunctionsFramework(IWebHostBuilder)",
        "Microsoft.AspNetCore.Hosting.FunctionsFrameworkWebHostBuilderExtensions: UseFunctionsStartup(IWebHostBuilder, FunctionsStartup)",
        "Microsoft.AspNetCore.Hosting.FunctionsFrameworkWebHostBuilderExtensions: UseFunctionsStartups(IWebHostBuilder, Assembly, Type)",
        "Microsoft.Extensions.Configuration.FunctionsFrameworkConfigurationExtensions: AddFunctionsCommandLine(IConfigurationBuilder, String[])",
        "Microsoft.Extensions.Configuration.FunctionsFrameworkConfigurationExtensions: AddFunctionsEnvironment(IConfigurationBuilder)",
        "Microsoft.Extensions.DependencyInjection.FunctionsFrameworkServiceCollectionExtensions: AddFunctionTarget(IServiceCollection, Type)",
        "Microsoft.Extensions.DependencyInjection.FunctionsFrameworkServiceCollectionExtensions: AddFunctionTarget(IServiceCollection, WebHostBuilderContext, Assembly)",
        "Microsoft.Extensions.DependencyInjection.FunctionsFrameworkServiceCollectionExtensions: AddFunctionTarget`1(IServiceCollection)",
        "Microsoft.Extensions.Logging.FunctionsFrameworkLoggingExtensions: AddFunctionsConsoleLogging(ILoggingBuilder, WebHostBuilderContext)",
    ];

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>
    /// Describes the assemblies <paramref name="names"/> of the application whose main assembly is <paramref name="mainAssembly"/>,
    /// loaded on their own (with that application's dependencies) and unloaded after.
    /// </summary>
    public static Dictionary<string, List<string>> Describe(string mainAssembly, params string[] names)
    {
        var context = new ApplicationLoadContext(mainAssembly);
        try
        {
            return names.ToDictionary(name => name, name => Describe(context.LoadFromAssemblyName(new AssemblyName(name))));
        }
        finally
        {
            context.Unload();
        }
    }

    private static List<string> Describe(Assembly assembly) =>
        assembly.GetExportedTypes()
            .SelectMany(type => Members(type).Select(member => $"{type.FullName}: {member}"))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<string> Members(Type type)
    {
        foreach (var constructor in type.GetConstructors(Declared).Where(Visible))
        {
            yield return $".ctor({Parameters(constructor)})";
        }
        foreach (var method in type.GetMethods(Declared).Where(method => Visible(method) && !method.IsSpecialName))
        {
            var arity = method.IsGenericMethodDefinition ? $"`{method.GetGenericArguments().Length}" : "";
            yield return $"{method.Name}{arity}({Parameters(method)})";
        }
        foreach (var property in type.GetProperties(Declared).Where(property => property.GetAccessors(nonPublic: true).Any(Visible)))
        {
            yield return property.Name;
        }
        foreach (var field in type.GetFields(Declared).Where(field => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly))
        {
            yield return field.Name;
        }
    }

    private static bool Visible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(parameter => parameter.ParameterType.Name));

    private sealed class ApplicationLoadContext(string mainAssembly) : AssemblyLoadContext(isCollectible: true)
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainAssembly);

        protected override Assembly? Load(AssemblyName assemblyName) =>
            _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }
}
