namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// The terminal, shared by the emulator and the functions' log forwarders: one lock around every write, so lines from
/// two processes never interleave mid-line and a multi-line entry stays in one piece.
/// </summary>
internal sealed class EmulatorConsole
{
    private readonly Lock _gate = new();
    private readonly int _prefixWidth;

    internal EmulatorConsole(IEnumerable<string> functionNames)
    {
        _prefixWidth = functionNames.Select(name => name.Length + 2).DefaultIfEmpty(0).Max();
    }

    /// <summary>A line (or lines) of the emulator's own, to stdout.</summary>
    internal void Info(string text) => Write(Console.Out, text.Split('\n'));

    /// <summary>Why the emulator stops or fails, to stderr.</summary>
    internal void Problem(string text) => Write(Console.Error, text.Split('\n'));

    /// <summary>Lines of one function's log, each prefixed with its name, aligned: <c>[invoices] INFO  message</c>.</summary>
    internal void FunctionLines(string functionName, IReadOnlyList<string> lines)
    {
        var prefix = $"[{functionName}]".PadRight(_prefixWidth) + " ";
        Write(Console.Out, lines.Select(line => prefix + line));
    }

    private void Write(TextWriter writer, IEnumerable<string> lines)
    {
        lock (_gate)
        {
            try
            {
                foreach (var line in lines)
                {
                    writer.WriteLine(line);
                }
            }
            catch (IOException)
            {
                // The terminal is gone (closed window, SIGHUP): nothing can be shown any more, and the shutdown that
                // follows must still stop the functions and PostgreSQL, so a lost line is not an error.
            }
        }
    }
}
