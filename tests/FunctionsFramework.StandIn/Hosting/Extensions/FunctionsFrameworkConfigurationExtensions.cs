using Google.Cloud.Functions.Hosting;

// In the namespace of the type extended, as Google's package does.
namespace Microsoft.Extensions.Configuration;

/// <summary>The framework's configuration sources.</summary>
public static class FunctionsFrameworkConfigurationExtensions
{
    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--target"] = FunctionsFrameworkOptions.TargetKey,
        ["--port"] = FunctionsFrameworkOptions.PortKey,
    };

    /// <summary>Adds FUNCTION_TARGET, PORT, DOTNET_RUNNING_IN_CONTAINER and K_SERVICE as the framework's settings.</summary>
    public static IConfigurationBuilder AddFunctionsEnvironment(this IConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new FunctionsEnvironmentSource());
    }

    /// <summary>Adds <c>--target</c> and <c>--port</c>; a single argument is the target.</summary>
    public static IConfigurationBuilder AddFunctionsCommandLine(this IConfigurationBuilder builder, string[] args)
    {
        if (args is null || args.Length == 0)
        {
            return builder;
        }
        if (args is ["%LAUNCHER_ARGS%"])
        {
            throw new InvalidOperationException("Unable to launch Web SDK project with launch settings.");
        }
        return builder.AddCommandLine(args.Length == 1 ? ["--target", args[0]] : args, Switches);
    }
}
