using System.Globalization;
using System.Net;
using InvoiceApi.Tests.Hosting.TestFunctions;

namespace InvoiceApi.Tests.Hosting;

/// <summary>Every response says how long the server took (Server-Timing: app;dur=ms): the figure benchmarks read.</summary>
public sealed class ServerTimingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_response_reports_at_least_the_time_the_function_took()
    {
        await using var function = await InProcessFunction.StartAsync(typeof(SlowFunction).Assembly, new(), "--target", typeof(SlowFunction).FullName!);

        using var response = await function.Client.GetAsync("/", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var functionTook = double.Parse(await response.Content.ReadAsStringAsync(Token), CultureInfo.InvariantCulture);
        Assert.True(functionTook >= SlowFunction.Delay.TotalMilliseconds - 20, $"the function's own time {functionTook} ms");
        // The header is rounded to thousandths of a millisecond.
        Assert.InRange(AppDuration(response), functionTook - 0.001, functionTook + 5_000);
    }

    [Theory]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/", HttpStatusCode.Unauthorized)]
    public async Task Host_answers_and_problems_carry_it_too(string path, HttpStatusCode status)
    {
        await using var function = await InProcessFunction.StartAsync(typeof(EchoFunction).Assembly, new(), "--target", typeof(EchoFunction).FullName!);

        using var response = await function.AnonymousClient.GetAsync(path, Token);

        Assert.Equal(status, response.StatusCode);
        Assert.InRange(AppDuration(response), 0, 5_000);
    }

    private static double AppDuration(HttpResponseMessage response)
    {
        var value = Assert.Single(response.Headers.GetValues("Server-Timing"));
        Assert.StartsWith("app;dur=", value, StringComparison.Ordinal);
        return double.Parse(value["app;dur=".Length..], NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
