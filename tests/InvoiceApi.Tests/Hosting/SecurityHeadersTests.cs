using System.Net;
using InvoiceApi.Tests.Hosting.TestFunctions;

namespace InvoiceApi.Tests.Hosting;

/// <summary>The host sets nosniff on every response and no-store on every response carrying caller data, whatever the function does.</summary>
public sealed class SecurityHeadersTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_authenticated_response_is_nosniff_and_no_store()
    {
        await using var function = await StartAsync<EchoFunction>();

        using var response = await function.Client.GetAsync("/", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoSniff(response);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task A_function_cannot_make_caller_data_cacheable()
    {
        await using var function = await StartAsync<CachingFunction>();

        using var response = await function.Client.GetAsync("/", Token);

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        AssertNoSniff(response);
    }

    [Fact]
    public async Task An_open_path_keeps_the_cache_policy_the_function_chose_and_is_still_nosniff()
    {
        await using var function = await StartAsync<CachingFunction>();

        using var response = await function.AnonymousClient.GetAsync("/openapi.json", Token);

        Assert.Equal(CachingFunction.CacheControl, response.Headers.CacheControl?.ToString());
        AssertNoSniff(response);
    }

    [Fact]
    public async Task A_401_problem_is_nosniff_and_no_store()
    {
        await using var function = await StartAsync<EchoFunction>();

        using var response = await function.AnonymousClient.GetAsync("/", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertNoSniff(response);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task A_500_problem_after_an_exception_is_nosniff_and_no_store()
    {
        await using var function = await StartAsync<ThrowingFunction>();

        using var response = await function.Client.GetAsync("/", Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertNoSniff(response);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/robots.txt")]
    public async Task Host_answers_are_nosniff(string path)
    {
        await using var function = await StartAsync<EchoFunction>();

        using var response = await function.AnonymousClient.GetAsync(path, Token);

        AssertNoSniff(response);
    }

    private static void AssertNoSniff(HttpResponseMessage response) =>
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));

    private static Task<InProcessFunction> StartAsync<TFunction>() =>
        InProcessFunction.StartAsync(typeof(TFunction).Assembly, new(), "--target", typeof(TFunction).FullName!);
}
