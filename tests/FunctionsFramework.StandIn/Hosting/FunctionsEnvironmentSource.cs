using Microsoft.Extensions.Configuration;

namespace Google.Cloud.Functions.Hosting;

/// <summary>
/// The few environment variables the framework reads: FUNCTION_TARGET, PORT, DOTNET_RUNNING_IN_CONTAINER (listen on every
/// interface, as Google's buildpack sets it; loopback otherwise) and K_SERVICE (JSON log lines on Cloud Run).
/// </summary>
internal sealed class FunctionsEnvironmentSource : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider();

    private sealed class Provider : ConfigurationProvider
    {
        public override void Load()
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            Add(FunctionsFrameworkOptions.TargetKey, Environment.GetEnvironmentVariable(EntryPoint.FunctionTargetEnvironmentVariable));
            Add(FunctionsFrameworkOptions.PortKey, Environment.GetEnvironmentVariable(EntryPoint.PortEnvironmentVariable));
            var inContainer = Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER");
            Add(FunctionsFrameworkOptions.AddressKey, inContainer is null ? null
                : string.Equals(inContainer, "true", StringComparison.OrdinalIgnoreCase) ? "Any" : "Loopback");
            var service = Environment.GetEnvironmentVariable("K_SERVICE");
            Add(FunctionsFrameworkOptions.JsonLoggingKey, string.IsNullOrWhiteSpace(service) ? null : "True");
            Data = data;

            void Add(string key, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    data[key] = value;
                }
            }
        }
    }
}
