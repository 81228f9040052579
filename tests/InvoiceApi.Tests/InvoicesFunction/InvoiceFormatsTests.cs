using System.Globalization;
using System.Text;
using InvoiceApi.Functions.Api.Json;
using Invoices.Model;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>The text forms of dates, timestamps and amounts, identical in JSON, CSV and cursors, and as the custom patterns wrote them.</summary>
public sealed class InvoiceFormatsTests
{
    [Theory]
    [InlineData("2026-11-24T17:05:09.123456", "2026-11-24T17:05:09.123456Z")]
    [InlineData("2026-01-01T00:00:00", "2026-01-01T00:00:00.000000Z")]
    [InlineData("0001-01-01T00:00:00.000001", "0001-01-01T00:00:00.000001Z")]
    [InlineData("9999-12-31T23:59:59.999999", "9999-12-31T23:59:59.999999Z")]
    public void A_timestamp_is_rfc3339_utc_with_microseconds_as_text_and_utf8(string value, string expected)
    {
        // As Npgsql gives a timestamptz: UTC, whatever Kind it carries here.
        foreach (var kind in new[] { DateTimeKind.Utc, DateTimeKind.Unspecified })
        {
            var timestamp = DateTime.SpecifyKind(DateTime.Parse(value, CultureInfo.InvariantCulture), kind);
            var utf8 = new byte[InvoiceFormats.TimestampLength];

            var written = InvoiceFormats.Timestamp(timestamp, utf8);

            Assert.Equal(expected, InvoiceFormats.Timestamp(timestamp));
            Assert.Equal(expected, Encoding.UTF8.GetString(utf8.AsSpan(0, written)));
            Assert.Equal(timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture), expected);
        }
    }

    [Theory]
    [InlineData("1234.50", "1234.50")]
    [InlineData("5", "5.00")]
    [InlineData("1234.5", "1234.50")]
    [InlineData("0.01", "0.01")]
    [InlineData("9999999999999.99", "9999999999999.99")]
    [InlineData("1.005", "1.01")]
    public void An_amount_has_two_decimals_whatever_scale_it_arrives_with(string value, string expected)
    {
        var amount = decimal.Parse(value, CultureInfo.InvariantCulture);

        Assert.Equal(expected, InvoiceFormats.Amount(amount));
        Assert.Equal(amount.ToString("0.00", CultureInfo.InvariantCulture), InvoiceFormats.Amount(amount));
    }

    [Theory]
    [InlineData(1, 1, 1, "0001-01-01")]
    [InlineData(2026, 2, 9, "2026-02-09")]
    [InlineData(9999, 12, 31, "9999-12-31")]
    public void A_date_is_iso_8601(int year, int month, int day, string expected)
    {
        var date = new DateOnly(year, month, day);

        Assert.Equal(expected, ApiJson.Date(date));
        Assert.Equal(expected, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
