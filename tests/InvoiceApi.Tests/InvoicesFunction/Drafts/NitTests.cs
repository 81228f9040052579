using Invoices;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>DIAN's check digit and the accepted NIT forms (docs/api.md).</summary>
public sealed class NitTests
{
    [Theory]
    [InlineData("900123456", 8)]
    [InlineData("901210113", 3)]
    [InlineData("213123432", 1)]
    [InlineData("800197268", 4)]
    public void The_check_digit_matches_the_worked_examples(string baseNumber, int expected) =>
        Assert.Equal(expected, Nit.CheckDigit(baseNumber));

    [Theory]
    [InlineData("900123456-8")]
    [InlineData("900.123.456-8")]
    [InlineData("900123456")]
    [InlineData("900.123.456")]
    [InlineData(" 900123456-8 ")]
    public void Every_accepted_form_normalizes_to_base_dash_digit(string input)
    {
        Assert.True(Nit.TryNormalize(input, out var normalized));
        Assert.Equal("900123456-8", normalized);
    }

    [Fact]
    public void The_r_equals_one_case_and_dians_own_nit_normalize()
    {
        Assert.True(Nit.TryNormalize("213123432", out var a));
        Assert.Equal("213123432-1", a);
        Assert.True(Nit.TryNormalize("800.197.268-4", out var b));
        Assert.Equal("800197268-4", b);
    }

    [Theory]
    [InlineData("900123456-7")]
    [InlineData("900123456-0")]
    [InlineData("213123432-0")]
    public void A_wrong_check_digit_is_refused(string input)
    {
        Assert.Equal(Nit.Verdict.WrongCheckDigit, Nit.Check(input, out _));
        Assert.False(Nit.TryNormalize(input, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567890123456")]
    [InlineData("900123456-")]
    [InlineData("900123456-88")]
    [InlineData("90012345a")]
    [InlineData("9001.23456")]
    [InlineData("900.12.3456-8")]
    [InlineData("900 123 456")]
    [InlineData("-8")]
    public void Malformed_forms_are_refused(string input) =>
        Assert.Equal(Nit.Verdict.Malformed, Nit.Check(input, out _));

    [Fact]
    public void Six_and_fifteen_digit_bases_are_accepted()
    {
        Assert.True(Nit.TryNormalize("123456", out var six));
        Assert.Matches(@"^123456-\d$", six);
        Assert.True(Nit.TryNormalize("123456789012345", out var fifteen));
        Assert.Matches(@"^123456789012345-\d$", fifteen);
    }
}
