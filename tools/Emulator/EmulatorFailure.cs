namespace InvoiceApi.Tools.Emulator;

/// <summary>A step that cannot go on: its message is printed as is, and the emulator stops with <see cref="ExitCode"/>.</summary>
internal sealed class EmulatorFailure : Exception
{
    internal EmulatorFailure(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    internal int ExitCode { get; }
}
