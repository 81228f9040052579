using InvoiceApi.Functions.Api.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace InvoiceApi.Tests.Hosting;

/// <summary>The one query-string reader both functions use: every problem per parameter, unknown ones included.</summary>
public sealed class QueryReaderTests
{
    [Fact]
    public void Every_problem_is_named_per_parameter_and_unknown_ones_list_what_the_operation_reads()
    {
        var reader = Read("?limit=500&from=2024-02-30&status=paid,lost&x=1&tz=a%00b&flag=yes&q=&q=again");

        var limit = reader.WholeNumber("limit", fallback: 20, min: 1, max: 100);
        reader.Date("from");
        var statuses = reader.List("status", ["pending", "paid"]);
        reader.Text("tz");
        reader.Flag("flag");
        reader.Text("q");
        var errors = reader.Errors();

        Assert.Equal(20, limit);
        Assert.Equal(["paid"], statuses);
        Assert.Equal(["flag", "from", "limit", "q", "status", "tz", "x"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Unknown parameter; this operation reads flag, from, limit, q, status, tz.", Assert.Single(errors["x"]));
        Assert.Equal("Give this parameter once.", Assert.Single(errors["q"]));
        Assert.Equal("Must not contain NUL characters (U+0000).", Assert.Single(errors["tz"]));
        Assert.True(reader.HasErrors);
    }

    [Fact]
    public void A_route_that_reads_nothing_says_so_and_a_clean_query_has_no_errors()
    {
        var none = Read("?all=true");
        var clean = Read("?from=2024-01-31&top=5&flag=false");

        Assert.Equal("This route takes no query parameters.", Assert.Single(none.Errors()["all"]));
        Assert.Equal(new DateOnly(2024, 1, 31), clean.Date("from", new DateOnly(1900, 1, 1), new DateOnly(2999, 12, 31)));
        Assert.Equal(5, clean.WholeNumber("top", fallback: 10, min: 1, max: 50));
        Assert.False(clean.Flag("flag"));
        Assert.False(clean.HasErrors);
    }

    [Fact]
    public void A_date_outside_its_bounds_is_refused_naming_them()
    {
        var reader = Read("?from=1899-12-31");

        Assert.Null(reader.Date("from", new DateOnly(1900, 1, 1), new DateOnly(2999, 12, 31)));
        Assert.Equal("Must be a date YYYY-MM-DD from 1900-01-01 to 2999-12-31.", Assert.Single(reader.Errors()["from"]));
    }

    private static QueryReader Read(string queryString) => new(new QueryCollection(QueryHelpers.ParseQuery(queryString)));
}
