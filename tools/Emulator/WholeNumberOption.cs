using System.Globalization;

namespace InvoiceApi.Tools.Emulator;

/// <summary>The value after a flag such as <c>--seed N</c> or <c>--hours N</c>: a whole number within bounds.</summary>
internal static class WholeNumberOption
{
    /// <summary>Reads the argument after <c>args[i]</c> and moves past it; null when it is missing or out of <paramref name="min"/>..<paramref name="max"/>.</summary>
    internal static int? Read(IReadOnlyList<string> args, ref int i, int min, int max)
    {
        if (i + 1 >= args.Count
            || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            return null;
        }
        i++;
        return number;
    }
}
