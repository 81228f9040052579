using Google.Cloud.Functions.Hosting;
using Microsoft.AspNetCore.Hosting;

// In the namespace of the type extended, as Google's package does.
namespace Microsoft.Extensions.Logging;

/// <summary>The framework's console logging.</summary>
public static class FunctionsFrameworkLoggingExtensions
{
    /// <summary>Adds the console logger: JSON lines when K_SERVICE is set (Cloud Run), plain lines otherwise.</summary>
    public static ILoggingBuilder AddFunctionsConsoleLogging(this ILoggingBuilder builder, WebHostBuilderContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        builder.AddProvider(new FunctionsConsoleLoggerProvider(FunctionsFrameworkOptions.From(context.Configuration).JsonLogging));
        return builder;
    }
}
