using System.Diagnostics;

namespace InvoiceApi.Tools.Benchmarks;

/// <summary>Progress lines on stderr, with the elapsed time, so stdout holds only the table.</summary>
internal static class Progress
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    internal static void Line(string text) => Console.Error.WriteLine($"[{Clock.Elapsed:mm\\:ss}] {text}");
}
