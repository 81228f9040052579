using System.Reflection;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Google.Cloud.Functions.Framework;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Google.Cloud.Functions.Hosting;

/// <summary>
/// Which class is the function (FUNCTION_TARGET, <c>--target</c> or a lone argument; else the assembly's only function
/// class) and the services that serve it as an <see cref="IHttpFunction"/>, resolved once per request.
/// </summary>
internal static class FunctionTarget
{
    public static Type Resolve(IConfiguration configuration, Assembly assembly)
    {
        var name = FunctionsFrameworkOptions.From(configuration).FunctionTarget;
        if (name is not null)
        {
            return assembly.GetType(name) ?? throw new InvalidOperationException($"Can't load specified function type '{name}'");
        }
        var candidates = assembly.GetTypes().Where(IsFunctionClass).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new ArgumentException("No valid Cloud Function types found."),
            _ => throw new ArgumentException(
                $"Multiple Cloud Function types found. Please specify the function to run via the command line or the {EntryPoint.FunctionTargetEnvironmentVariable} environment variable."),
        };
    }

    /// <summary>As <see cref="Resolve"/>, but null instead of an error.</summary>
    public static Type? TryResolve(IConfiguration configuration, Assembly assembly)
    {
        var name = FunctionsFrameworkOptions.From(configuration).FunctionTarget;
        if (name is not null)
        {
            return assembly.GetType(name);
        }
        var candidates = assembly.GetTypes().Where(IsFunctionClass).Take(2).ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }

    public static IServiceCollection AddServices(IServiceCollection services, Type function)
    {
        services.AddSingleton(new Chosen(function));
        if (typeof(IHttpFunction).IsAssignableFrom(function))
        {
            services.AddScoped(typeof(IHttpFunction), function);
        }
        else if (typeof(ICloudEventFunction).IsAssignableFrom(function))
        {
            services.AddScoped<IHttpFunction, CloudEventAdapter>()
                .AddSingleton<CloudEventFormatter>(new JsonEventFormatter())
                .AddScoped(typeof(ICloudEventFunction), function);
        }
        else if (SingleGenericArguments(function, typeof(ITypedFunction<,>)) is { } signature)
        {
            services.AddScoped(typeof(IHttpFunction), typeof(TypedFunctionAdapter<,>).MakeGenericType(signature))
                .AddScoped(typeof(ITypedFunction<,>).MakeGenericType(signature), function)
                .AddSingleton(typeof(IHttpRequestReader<>).MakeGenericType(signature[0]), typeof(JsonRequestReader<>).MakeGenericType(signature[0]))
                .AddSingleton(typeof(IHttpResponseWriter<>).MakeGenericType(signature[1]), typeof(JsonResponseWriter<>).MakeGenericType(signature[1]));
        }
        else if (SingleGenericArguments(function, typeof(ICloudEventFunction<>)) is [var data])
        {
            services.AddScoped(typeof(IHttpFunction), typeof(CloudEventAdapter<>).MakeGenericType(data))
                .AddScoped(typeof(ICloudEventFunction<>).MakeGenericType(data), function);
            // Without a formatter here or from a startup, the adapter's other constructor says what is missing.
            if (CloudEventFormatterAttribute.CreateFormatter(data) is { } formatter)
            {
                services.AddSingleton(formatter);
            }
        }
        else
        {
            throw new InvalidOperationException($"Function type '{function.FullName}' doesn't support any known function interfaces.");
        }
        return services;
    }

    private static bool IsFunctionClass(Type type) =>
        type.IsClass && !type.IsAbstract && !type.IsGenericType
        && (typeof(IHttpFunction).IsAssignableFrom(type) || typeof(ICloudEventFunction).IsAssignableFrom(type)
            || SingleGenericArguments(type, typeof(ICloudEventFunction<>)) is not null
            || SingleGenericArguments(type, typeof(ITypedFunction<,>)) is not null);

    // The type arguments of the one implementation of a generic interface; null when there is none or more than one.
    private static Type[]? SingleGenericArguments(Type type, Type genericInterface)
    {
        var implemented = type.GetInterfaces().Where(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == genericInterface).ToList();
        return implemented.Count == 1 ? implemented[0].GetGenericArguments() : null;
    }

    /// <summary>The function class chosen at start-up, for the pipeline's startup check and its log line.</summary>
    internal sealed record Chosen(Type Function);

    private sealed class JsonRequestReader<TRequest> : IHttpRequestReader<TRequest>
    {
        public async Task<TRequest> ReadRequestAsync(HttpRequest httpRequest) =>
            await JsonSerializer.DeserializeAsync<TRequest>(httpRequest.Body, cancellationToken: httpRequest.HttpContext.RequestAborted)
            ?? throw new InvalidDataException("The request body is JSON null.");
    }

    private sealed class JsonResponseWriter<TResponse> : IHttpResponseWriter<TResponse>
    {
        public Task WriteResponseAsync(HttpResponse httpResponse, TResponse functionResponse) =>
            JsonSerializer.SerializeAsync(httpResponse.Body, functionResponse, cancellationToken: httpResponse.HttpContext.RequestAborted);
    }
}
