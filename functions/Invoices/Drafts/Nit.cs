using System.Globalization;

namespace Invoices;

/// <summary>
/// The Colombian tax id (NIT): accepted as <c>900123456-8</c>, <c>900.123.456-8</c> or the base number alone
/// (<c>900123456</c>, the check digit is then computed); always stored and returned as <c>900123456-8</c>.
/// The check digit is DIAN's: the base number's digits weighted from the right, modulo 11.
/// </summary>
internal static class Nit
{
    internal const int MinBaseDigits = 6;
    internal const int MaxBaseDigits = 15;

    /// <summary>What a malformed NIT is told, wherever one is written (an invoice's nit, the account's).</summary>
    internal static readonly string MalformedMessage =
        $"Must be a NIT such as 900123456-8, 900.123.456-8 or 900123456 ({MinBaseDigits} to {MaxBaseDigits} digits before the check digit).";

    /// <summary>What a NIT with a wrong check digit is told.</summary>
    internal const string WrongCheckDigitMessage =
        "The check digit is wrong for this NIT (DIAN's algorithm); send the base number alone to have it computed.";

    // DIAN's weights, applied to the base number's digits from the right.
    private static readonly int[] Weights = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

    /// <summary>What is wrong with a NIT as sent, if anything.</summary>
    internal enum Verdict
    {
        Valid,
        Malformed,
        WrongCheckDigit,
    }

    /// <summary>Normalizes <paramref name="input"/> to <c>base-digit</c>; false when it is malformed or its check digit is wrong.</summary>
    internal static bool TryNormalize(string input, out string normalized) => Check(input, out normalized) == Verdict.Valid;

    /// <summary>
    /// The NITs a search for <paramref name="input"/> may mean, normalized: its reading as a NIT, and, when it is digits
    /// alone whose last one is the check digit of the others (<c>9001234568</c>, a NIT typed without its hyphen), also
    /// <c>900123456-8</c>. Empty when it is no NIT at all.
    /// </summary>
    internal static IReadOnlyList<string> Readings(string input)
    {
        var readings = new List<string>(2);
        if (TryNormalize(input, out var normalized))
        {
            readings.Add(normalized);
        }
        var digits = input.Trim();
        // A base number and its check digit: longer digit runs have no DIAN weights and are no NIT.
        if (digits.Length is > MinBaseDigits and <= MaxBaseDigits + 1 && digits.All(char.IsAsciiDigit)
            && CheckDigit(digits[..^1]) == digits[^1] - '0')
        {
            readings.Add(digits[..^1] + "-" + digits[^1]);
        }
        return readings;
    }

    /// <summary>Checks <paramref name="input"/> and, when valid, normalizes it.</summary>
    internal static Verdict Check(string input, out string normalized)
    {
        normalized = "";
        if (!TrySplit(input, out var baseDigits, out var givenDigit))
        {
            return Verdict.Malformed;
        }
        var digit = CheckDigit(baseDigits);
        if (givenDigit is { } given && given != digit)
        {
            return Verdict.WrongCheckDigit;
        }
        normalized = baseDigits + "-" + digit.ToString(CultureInfo.InvariantCulture);
        return Verdict.Valid;
    }

    /// <summary>DIAN's check digit of a base number of 1 to 15 digits.</summary>
    internal static int CheckDigit(string baseDigits)
    {
        var sum = 0;
        for (var i = 0; i < baseDigits.Length; i++)
        {
            sum += (baseDigits[baseDigits.Length - 1 - i] - '0') * Weights[i];
        }
        var remainder = sum % 11;
        return remainder <= 1 ? remainder : 11 - remainder;
    }

    // "900123456", "900123456-8", "900.123.456" or "900.123.456-8": dots only as thousands separators, all or none.
    private static bool TrySplit(string input, out string baseDigits, out int? givenDigit)
    {
        baseDigits = "";
        givenDigit = null;
        var text = input.Trim();
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            if (dash != text.Length - 2 || !char.IsAsciiDigit(text[^1]))
            {
                return false;
            }
            givenDigit = text[^1] - '0';
            text = text[..dash];
        }
        if (text.Contains('.', StringComparison.Ordinal) && !HasThousandsDots(text))
        {
            return false;
        }
        var digits = text.Replace(".", "", StringComparison.Ordinal);
        if (digits.Length is < MinBaseDigits or > MaxBaseDigits || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }
        baseDigits = digits;
        return true;
    }

    private static bool HasThousandsDots(string text)
    {
        var groups = text.Split('.');
        return groups[0].Length is >= 1 and <= 3 && groups.Skip(1).All(group => group.Length == 3);
    }
}
