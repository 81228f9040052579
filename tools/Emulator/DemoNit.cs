using System.Globalization;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// DIAN's check digit of a NIT, for the demo documents' parties. The Invoices function has its own (Invoices.Nit), but the
/// emulator starts the functions as processes and does not load their code; a digit computed wrongly here is refused by
/// the real intake, so the seed fails loudly, and a test compares the two.
/// </summary>
internal static class DemoNit
{
    // DIAN's weights, applied to the base number's digits from the right (docs/api.md, NIT check digit).
    private static readonly int[] Weights = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

    internal static int CheckDigit(string baseDigits)
    {
        var sum = 0;
        for (var i = 0; i < baseDigits.Length; i++)
        {
            sum += (baseDigits[^(i + 1)] - '0') * Weights[i];
        }
        var remainder = sum % 11;
        return remainder <= 1 ? remainder : 11 - remainder;
    }

    /// <summary>The NIT as the API stores it: <c>900123456-8</c>.</summary>
    internal static string Normalized(string baseDigits) => baseDigits + "-" + CheckDigit(baseDigits).ToString(CultureInfo.InvariantCulture);
}
