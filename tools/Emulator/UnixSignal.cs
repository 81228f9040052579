using System.Runtime.InteropServices;

namespace InvoiceApi.Tools.Emulator;

/// <summary>Sends signals by process id: SIGTERM, as Cloud Run does when it stops an instance, and SIGKILL.</summary>
internal static partial class UnixSignal
{
    private const int Sigkill = 9;
    private const int Sigterm = 15;

    /// <summary>Returns false when the process is already gone.</summary>
    internal static bool Terminate(int processId) => Send(processId, Sigterm) == 0;

    internal static bool Kill(int processId) => Send(processId, Sigkill) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Send(int pid, int signal);
}
