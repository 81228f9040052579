using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Google.Cloud.Functions.Hosting;

/// <summary>The framework's own settings, read from the <c>FunctionsFramework</c> configuration section.</summary>
internal sealed record FunctionsFrameworkOptions(int Port, string? FunctionTarget, IPAddress Address, bool JsonLogging)
{
    public const string Section = "FunctionsFramework";
    public const string PortKey = Section + ":Port";
    public const string TargetKey = Section + ":FunctionTarget";
    public const string AddressKey = Section + ":Address";
    public const string JsonLoggingKey = Section + ":JsonLogging";

    public static FunctionsFrameworkOptions From(IConfiguration configuration)
    {
        var port = configuration[PortKey] is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : 8080;
        var address = configuration[AddressKey] switch
        {
            null or "" or "Loopback" => IPAddress.Loopback,
            "Any" => IPAddress.Any,
            var literal => IPAddress.Parse(literal),
        };
        var json = bool.TryParse(configuration[JsonLoggingKey], out var parsed) && parsed;
        return new FunctionsFrameworkOptions(port, configuration[TargetKey] is { Length: > 0 } target ? target : null, address, json);
    }
}
