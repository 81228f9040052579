namespace InvoiceApi.Tools.Emulator;

/// <summary>One function as the emulator runs it: its project under functions/, its Cloud Run service name and its port.</summary>
/// <param name="ProjectName">The folder and assembly name, for example Invoices.</param>
/// <param name="ServiceName">K_SERVICE, as the service would be named on Cloud Run, for example invoices.</param>
/// <param name="Port">The port on 127.0.0.1 (PORT).</param>
/// <param name="PortFlag">The flag that changes <paramref name="Port"/>, for messages.</param>
internal sealed record LocalFunction(string ProjectName, string ServiceName, int Port, string PortFlag)
{
    internal Uri BaseAddress => new($"http://127.0.0.1:{Port}");
}
