using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using InvoiceApi.Functions.Api;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Tests.Hosting.TestFunctions;
using Microsoft.Extensions.DependencyInjection;

namespace InvoiceApi.Tests.Hosting;

/// <summary>RATE_LIMIT_PER_MINUTE limits each authenticated caller on its own; 0 turns it off; open paths are never limited.</summary>
public sealed class RateLimitTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Past_the_limit_a_caller_gets_429_problem_with_Retry_After_and_the_function_is_not_called()
    {
        await using var function = await StartEchoAsync("3");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await function.Client.GetAsync("/", Token);
            statuses.Add(allowed.StatusCode);
        }
        using var limited = await function.Client.GetAsync("/", Token);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync(Token));
        Assert.Equal("urn:invoice-api:problem:too-many-requests", problem.RootElement.GetProperty("type").GetString());
        // Three a minute: one request comes back every 20 s.
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 20);
        Assert.Equal(3, Calls(function));
    }

    [Fact]
    public async Task Another_caller_is_not_affected_by_a_limited_one()
    {
        await using var function = await StartEchoAsync("2");
        using var other = new HttpClient { BaseAddress = function.Client.BaseAddress };
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuthority.Token("caller-b"));

        for (var i = 0; i < 3; i++)
        {
            using var _ = await function.Client.GetAsync("/", Token);
        }
        using var limited = await function.Client.GetAsync("/", Token);
        using var first = await other.GetAsync("/", Token);
        using var second = await other.GetAsync("/", Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Theory]
    [InlineData("0")]
    [InlineData(null)]
    public async Task Zero_or_unset_turns_the_limit_off(string? perMinute)
    {
        await using var function = await StartEchoAsync(perMinute);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await function.Client.GetAsync("/", Token);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/openapi.json")]
    public async Task Health_readiness_and_openapi_are_never_limited(string path)
    {
        await using var function = await StartEchoAsync("1");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await function.Client.GetAsync(path, Token);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Theory]
    [InlineData("ten")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("60001")]
    public void A_malformed_RATE_LIMIT_PER_MINUTE_refuses_to_start_naming_the_variable(string value)
    {
        var environment = TestAuthority.With(new() { ["PORT"] = "0", ["RATE_LIMIT_PER_MINUTE"] = value });

        var refused = Assert.Throws<FunctionConfigurationException>(
            () => FunctionHost.Build(typeof(EchoFunction).Assembly, ["--target", typeof(EchoFunction).FullName!], environment));

        Assert.Contains("RATE_LIMIT_PER_MINUTE", refused.Message, StringComparison.Ordinal);
    }

    private static Task<InProcessFunction> StartEchoAsync(string? perMinute) =>
        InProcessFunction.StartAsync(
            typeof(EchoFunction).Assembly, new() { ["RATE_LIMIT_PER_MINUTE"] = perMinute }, "--target", typeof(EchoFunction).FullName!);

    private static int Calls(InProcessFunction function) => function.App.Services.GetRequiredService<CallCounter>().Calls;
}
