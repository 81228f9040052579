using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Builder;

namespace InvoiceApi.Functions.Hosting;

/// <summary>
/// The program's entry point, as in <c>Google.Cloud.Functions.Hosting.EntryPoint</c>; the hosting targets generate a
/// <c>Main</c> that calls <see cref="StartAsync"/>.
/// </summary>
public static class EntryPoint
{
    /// <summary>Exit code when the function cannot start as configured.</summary>
    public const int ConfigurationError = 2;

    /// <summary>Serves the function in <paramref name="functionAssembly"/> until SIGTERM or Ctrl+C; returns the exit code.</summary>
    public static async Task<int> StartAsync(Assembly functionAssembly, string[] args)
    {
        WebApplication app;
        try
        {
            app = FunctionHost.Build(functionAssembly, args);
        }
        catch (Exception exception)
        {
            // Start-up failures are configuration mistakes; one clear sentence beats a stack trace.
            await Console.Error.WriteLineAsync($"The function could not start: {Logging.SecretRedactor.Redact(exception.Message)}");
            return ConfigurationError;
        }
        await using (app)
        {
            try
            {
                await app.RunAsync();
                return 0;
            }
            catch (IOException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                await Console.Error.WriteLineAsync($"The function could not start: the port is already in use ({exception.Message}); choose another with PORT or --port.");
                return ConfigurationError;
            }
        }
    }
}
