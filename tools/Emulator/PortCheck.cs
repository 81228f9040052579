using InvoiceApi.LocalPostgres;

namespace InvoiceApi.Tools.Emulator;

/// <summary>Checks, before anything starts, that every function's port is free on 127.0.0.1.</summary>
internal static class PortCheck
{
    /// <exception cref="EmulatorFailure">A port is taken; the message names the function and the flag that moves it.</exception>
    internal static void EnsureFree(IReadOnlyList<LocalFunction> functions)
    {
        foreach (var function in functions)
        {
            if (!LoopbackPort.IsFree(function.Port))
            {
                throw new EmulatorFailure(ExitCodes.Usage,
                    $"Port {function.Port} ({function.ProjectName}) is already in use; stop what holds it or pass {function.PortFlag}.");
            }
        }
    }
}
