using System.Text.Json;
using Invoices;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>The strict JSON reading of one invoice: types, dates, amounts without floating point, unknown fields.</summary>
public sealed class InvoiceDraftReaderTests
{
    private static InvoiceDraftReadResult Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return InvoiceDraftReader.Read(document.RootElement);
    }

    [Fact]
    public void A_complete_invoice_is_read_field_by_field()
    {
        var result = Read("""
            {"number":"F-1","date":"2024-03-31","due_date":"2024-04-30","provider":"ACME","nit":"900123456",
             "amount":"1234.50","currency":"usd","payment_method":"card","category":"Office","description":"Paper",
             "status":"paid","paid_at":"2024-04-01","file_path":"gs://b/o.pdf","ocr_data":{"total":"1234.50"},"ocr_confidence":0.75}
            """);

        Assert.Empty(result.Errors);
        var draft = Assert.IsType<Invoices.InvoiceDraft>(result.Draft);
        Assert.Equal(new DateOnly(2024, 3, 31), draft.Date);
        Assert.Equal(new DateOnly(2024, 4, 30), draft.DueDate);
        Assert.Equal(1234.50m, draft.Amount);
        Assert.Equal("usd", draft.Currency);
        Assert.Equal(new DateOnly(2024, 4, 1), draft.PaidAt);
        Assert.Equal("""{"total":"1234.50"}""", draft.OcrData);
        Assert.Equal(0.75, draft.OcrConfidence);
    }

    [Theory]
    [InlineData("0.1", "0.1")]
    [InlineData("\"0.1\"", "0.1")]
    [InlineData("12345678901234.56", "12345678901234.56")]
    [InlineData("\"9999999999999.99\"", "9999999999999.99")]
    [InlineData("\"-5\"", "-5")]
    [InlineData("\"10.50000000000000000000000000000000000\"", "10.5")]
    [InlineData("1.5e1", "15")]
    public void Amounts_keep_every_decimal_digit(string json, string expected)
    {
        var result = Read($$"""{"amount":{{json}}}""");
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Draft!.Amount);
    }

    [Theory]
    [InlineData("\"1,000.00\"")]
    [InlineData("\"1e3\"")]
    [InlineData("\" 10\"")]
    [InlineData("\"10.\"")]
    [InlineData("\".5\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"\"")]
    [InlineData("1e40")]
    [InlineData("\"100000000000000000000000000000000000\"")]
    [InlineData("\"1.000000000000000000000000000001\"")]
    [InlineData("1.000000000000000000000000000001")]
    [InlineData("-0.000000000000000000000000000000000001")]
    [InlineData("true")]
    [InlineData("[1]")]
    public void Unreadable_amounts_are_field_errors(string json)
    {
        var result = Read($$"""{"amount":{{json}}}""");
        Assert.Null(result.Draft);
        Assert.Equal(["amount"], result.Errors.Keys);
    }

    [Theory]
    [InlineData("date", "\"2024-02-30\"")]
    [InlineData("date", "\"31/03/2024\"")]
    [InlineData("date", "\"2024-3-31\"")]
    [InlineData("date", "\"2024-03-31T00:00:00Z\"")]
    [InlineData("due_date", "20240331")]
    [InlineData("paid_at", "\"yesterday\"")]
    [InlineData("provider", "42")]
    [InlineData("category", "{}")]
    [InlineData("status", "true")]
    [InlineData("ocr_data", "[1,2]")]
    [InlineData("ocr_data", "\"text\"")]
    [InlineData("ocr_confidence", "\"0.5\"")]
    [InlineData("provider", "\"a\\u0000b\"")]
    [InlineData("provider", "\"\\ud800\"")]
    [InlineData("ocr_data", "{\"a\":\"\\u0000\"}")]
    [InlineData("colour", "\"red\"")]
    [InlineData("account_id", "\"someone-else\"")]
    public void Wrong_types_bad_values_and_unknown_fields_are_keyed_by_field(string field, string json)
    {
        var result = Read($$"""{"{{field}}":{{json}}}""");
        Assert.Null(result.Draft);
        Assert.Equal([field], result.Errors.Keys);
        Assert.NotEmpty(result.Errors[field][0]);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var result = Read("""{"date":"x","amount":false,"extra":1}""");
        Assert.Equal(["amount", "date", "extra"], result.Errors.Keys.Order());
    }

    [Fact]
    public void A_repeated_field_is_an_error()
    {
        var result = Read("""{"provider":"a","provider":"b"}""");
        Assert.Equal(["provider"], result.Errors.Keys);
    }

    [Fact]
    public void Server_owned_fields_are_ignored_so_a_fetched_invoice_can_be_sent_back()
    {
        var result = Read("""
            {"id":"0190a0a0-0000-7000-8000-000000000000","version":7,"created_at":"x","updated_at":null,"archived_at":1,"provider":"ACME"}
            """);
        Assert.Empty(result.Errors);
        Assert.Equal("ACME", result.Draft!.Provider);
    }

    [Fact]
    public void Null_clears_and_absent_is_absent()
    {
        var result = Read("""{"number":null,"ocr_data":null,"amount":null}""");
        Assert.Empty(result.Errors);
        Assert.Null(result.Draft!.Number);
        Assert.Null(result.Draft.Amount);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"invoice\"")]
    [InlineData("null")]
    public void A_body_that_is_not_an_object_is_an_error_on_the_root(string json)
    {
        var result = Read(json);
        Assert.Null(result.Draft);
        Assert.Equal([InvoiceFields.Body], result.Errors.Keys);
    }
}
