using System.Globalization;

namespace InvoiceApi.Functions.Hosting;

/// <summary>What the host reads from its command line and environment, as Google's Functions Framework does.</summary>
internal sealed record HostSettings(int Port, string? Target, bool BindAllInterfaces, string? ServiceName, string? ProjectId)
{
    public const int DefaultPort = 8080;

    /// <summary>Cloud Run sets K_SERVICE on every service.</summary>
    public bool OnCloudRun => ServiceName is not null;

    public static HostSettings Read(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var (portArgument, targetArgument) = ParseArguments(args);
        var serviceName = NonEmpty(environment("K_SERVICE"));
        var inContainer = string.Equals(environment("DOTNET_RUNNING_IN_CONTAINER"), "true", StringComparison.OrdinalIgnoreCase);
        return new HostSettings(
            Port: ParsePort(portArgument ?? NonEmpty(environment("PORT"))),
            Target: targetArgument ?? NonEmpty(environment("FUNCTION_TARGET")),
            BindAllInterfaces: ParseListenAddress(NonEmpty(environment("LISTEN_ADDRESS"))) ?? (inContainer || serviceName is not null),
            ServiceName: serviceName,
            ProjectId: NonEmpty(environment("GOOGLE_CLOUD_PROJECT")));
    }

    private static (string? Port, string? Target) ParseArguments(IReadOnlyList<string> args)
    {
        string? port = null, target = null;
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--port":
                    port = ValueAfter(args, ref i);
                    break;
                case "--target":
                    target = ValueAfter(args, ref i);
                    break;
                default:
                    positional.Add(args[i]);
                    break;
            }
        }
        if (positional.Count > 1)
        {
            throw new HostConfigurationException(
                $"Expected at most one positional argument (the function target), got: {string.Join(' ', positional)}.");
        }
        if (positional.Count == 1)
        {
            if (target is not null)
            {
                throw new HostConfigurationException("Give the function target either with --target or as a positional argument, not both.");
            }
            target = positional[0];
        }
        return (port, target);
    }

    private static string ValueAfter(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new HostConfigurationException($"{args[i]} needs a value.");
        }
        return args[++i];
    }

    private static int ParsePort(string? value)
    {
        if (value is null)
        {
            return DefaultPort;
        }
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new HostConfigurationException($"The port must be a number from 0 to 65535, got '{value}' (from --port or PORT).");
        }
        return port;
    }

    // LISTEN_ADDRESS=loopback keeps a function that looks like Cloud Run (the emulator sets K_SERVICE) off the network.
    private static bool? ParseListenAddress(string? value) => value switch
    {
        null => null,
        "loopback" => false,
        "all" => true,
        _ => throw new HostConfigurationException($"LISTEN_ADDRESS must be loopback or all, got '{value}'."),
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
