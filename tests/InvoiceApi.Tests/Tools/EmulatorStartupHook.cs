// The type the runtime looks for in a DOTNET_STARTUP_HOOKS assembly: StartupHook, in no namespace.
#pragma warning disable CA1050 // Declare types in namespaces: the runtime requires the global namespace.

/// <summary>
/// Loaded into a function by <c>DOTNET_STARTUP_HOOKS</c> (this test assembly's path) in
/// <see cref="InvoiceApi.Tests.Tools.EmulatorFailureTests"/>: the function named by <c>EMULATOR_TEST_HOLD_SERVICE</c>
/// writes one line, then never gets to listen, so it never becomes ready. Every other process goes on untouched.
/// </summary>
internal static class StartupHook
{
    internal const string HoldVariable = "EMULATOR_TEST_HOLD_SERVICE";
    internal const string HoldLine = "startup hook: holding this function before it listens";

    public static void Initialize()
    {
        var held = Environment.GetEnvironmentVariable(HoldVariable);
        if (!string.IsNullOrEmpty(held) && held == Environment.GetEnvironmentVariable("K_SERVICE"))
        {
            Console.WriteLine(HoldLine);
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
