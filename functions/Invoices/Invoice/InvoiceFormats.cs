using System.Globalization;

namespace Invoices;

/// <summary>
/// How an invoice's timestamps and amounts are written as text, the same in JSON, CSV and cursors. Formatted through
/// .NET's round-trip ("O") and general formats, which are written digit by digit, not through a custom pattern: an
/// export formats 600,000 of them, and the custom-pattern parser was a sixth of the export's CPU.
/// </summary>
internal static class InvoiceFormats
{
    /// <summary>The length of <c>2026-11-24T17:05:09.123456Z</c>.</summary>
    internal const int TimestampLength = 27;

    // "O" of a UTC DateTime: 2026-11-24T17:05:09.1234560Z. PostgreSQL keeps microseconds, so the seventh digit is
    // always 0 and is left out.
    private const int RoundTripLength = 28;
    private const int FractionEnd = 26;

    /// <summary>
    /// RFC 3339 in UTC with microseconds, PostgreSQL's precision (<c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>): a timestamp
    /// read back compares equal. PostgreSQL's timestamptz arrives as UTC.
    /// </summary>
    internal static string Timestamp(DateTime timestamp)
    {
        Span<char> roundTrip = stackalloc char[RoundTripLength];
        DateTime.SpecifyKind(timestamp, DateTimeKind.Utc).TryFormat(roundTrip, out _, "O", CultureInfo.InvariantCulture);
        return string.Concat(roundTrip[..FractionEnd], "Z");
    }

    /// <summary><see cref="Timestamp(DateTime)"/> as UTF-8 into <paramref name="destination"/> (at least <see cref="TimestampLength"/> bytes).</summary>
    internal static int Timestamp(DateTime timestamp, Span<byte> destination)
    {
        Span<byte> roundTrip = stackalloc byte[RoundTripLength];
        DateTime.SpecifyKind(timestamp, DateTimeKind.Utc).TryFormat(roundTrip, out _, "O", CultureInfo.InvariantCulture);
        roundTrip[..FractionEnd].CopyTo(destination);
        destination[FractionEnd] = (byte)'Z';
        return TimestampLength;
    }

    /// <summary>
    /// The format that writes an amount with two decimals (<c>1234.50</c>): the general one when the value carries
    /// two already, as every amount read from the numeric(15, 2) column does.
    /// </summary>
    internal static string? AmountFormat(decimal amount) => amount.Scale == 2 ? null : "0.00";

    /// <summary>An amount with two decimals, as text.</summary>
    internal static string Amount(decimal amount) => amount.ToString(AmountFormat(amount), CultureInfo.InvariantCulture);
}
