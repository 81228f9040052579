using System.Reflection;
using Google.Cloud.Functions.Hosting;
using Microsoft.AspNetCore.Hosting;

// In the namespace of the type extended, as Google's package does.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the function a host serves.</summary>
public static class FunctionsFrameworkServiceCollectionExtensions
{
    /// <summary>Registers the function named by the configuration, or the only function class of <paramref name="assembly"/>.</summary>
    public static IServiceCollection AddFunctionTarget(this IServiceCollection services, WebHostBuilderContext context, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AddFunctionTarget(services, FunctionTarget.Resolve(context.Configuration, assembly));
    }

    /// <summary>Registers <typeparamref name="TFunction"/>.</summary>
    public static IServiceCollection AddFunctionTarget<TFunction>(this IServiceCollection services) =>
        services.AddFunctionTarget(typeof(TFunction));

    /// <summary>Registers <paramref name="type"/>, adapted to <see cref="Google.Cloud.Functions.Framework.IHttpFunction"/> when it is another kind of function.</summary>
    public static IServiceCollection AddFunctionTarget(this IServiceCollection services, Type type) =>
        FunctionTarget.AddServices(services, type);
}
