using System.Net;
using System.Text.Json;
using InvoiceApi.Functions.Api;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Tests.Hosting.TestFunctions;
using Microsoft.Extensions.DependencyInjection;

namespace InvoiceApi.Tests.Hosting;

/// <summary>Browsers may call a function only from the origins in ALLOWED_ORIGINS; preflights are answered before authentication.</summary>
public sealed class CorsTests
{
    private const string App = "https://app.example.com";
    private const string Admin = "http://localhost:5173";
    private const string Stranger = "https://evil.example";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_204_with_the_cors_headers_without_a_token()
    {
        await using var function = await StartEchoAsync(new() { ["ALLOWED_ORIGINS"] = $"{App}, {Admin}" });

        using var response = await PreflightAsync(function, Admin, "PATCH");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Admin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("Origin", response.Headers.Vary);
        Assert.Equal("GET, POST, PUT, PATCH, DELETE", Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key", Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("600", Header(response, "Access-Control-Max-Age"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        Assert.Equal(0, Calls(function));
    }

    [Fact]
    public async Task A_preflight_from_an_origin_not_listed_is_403_problem_without_cors_headers()
    {
        await using var function = await StartEchoAsync(new() { ["ALLOWED_ORIGINS"] = App });

        using var response = await PreflightAsync(function, Stranger, "POST");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal("urn:invoice-api:problem:origin-not-allowed", problem.RootElement.GetProperty("type").GetString());
        Assert.Contains(Stranger, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers, header => header.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, Calls(function));
    }

    [Fact]
    public async Task An_actual_request_from_an_allowed_origin_carries_the_origin_and_the_exposed_headers()
    {
        await using var function = await StartEchoAsync(new() { ["ALLOWED_ORIGINS"] = App });

        using var response = await SendAsync(function.Client, App);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(App, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("ETag, Location, Link, Retry-After, Idempotency-Replayed", Header(response, "Access-Control-Expose-Headers"));
        Assert.Contains("Origin", response.Headers.Vary);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_401_to_an_allowed_origin_carries_the_cors_headers_so_the_page_can_read_the_problem()
    {
        await using var function = await StartEchoAsync(new() { ["ALLOWED_ORIGINS"] = App });

        using var response = await SendAsync(function.AnonymousClient, App);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(App, Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task An_actual_request_from_an_origin_not_listed_gets_no_cors_headers()
    {
        await using var function = await StartEchoAsync(new() { ["ALLOWED_ORIGINS"] = App });

        using var response = await SendAsync(function.Client, Stranger);

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Expose-Headers"));
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Fact]
    public async Task Without_ALLOWED_ORIGINS_no_origin_is_allowed()
    {
        await using var function = await StartEchoAsync(new());

        using var preflight = await PreflightAsync(function, App, "GET");
        using var actual = await SendAsync(function.Client, App);

        Assert.Equal(HttpStatusCode.Forbidden, preflight.StatusCode);
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, actual.StatusCode);
        Assert.DoesNotContain(actual.Headers, header => header.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Credentials_are_allowed_only_when_CORS_ALLOW_CREDENTIALS_is_true()
    {
        await using var function = await StartEchoAsync(new() { ["ALLOWED_ORIGINS"] = App, ["CORS_ALLOW_CREDENTIALS"] = "true" });

        using var preflight = await PreflightAsync(function, App, "DELETE");
        using var actual = await SendAsync(function.Client, App);

        Assert.Equal("true", Header(preflight, "Access-Control-Allow-Credentials"));
        Assert.Equal("true", Header(actual, "Access-Control-Allow-Credentials"));
        Assert.Equal(App, Header(actual, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_star_allows_every_origin_without_credentials()
    {
        await using var function = await StartEchoAsync(new() { ["ALLOWED_ORIGINS"] = "*" });

        using var preflight = await PreflightAsync(function, Stranger, "POST");
        using var actual = await SendAsync(function.Client, Stranger);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("*", Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal("*", Header(actual, "Access-Control-Allow-Origin"));
        Assert.Null(Header(actual, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task An_options_request_that_is_not_a_preflight_still_needs_a_token()
    {
        await using var function = await StartEchoAsync(new() { ["ALLOWED_ORIGINS"] = App });

        using var request = new HttpRequestMessage(HttpMethod.Options, "/");
        request.Headers.Add("Origin", App);
        using var response = await function.AnonymousClient.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("https://app.example.com/")]
    [InlineData("https://app.example.com/app")]
    [InlineData("https://app.example.com?x=1")]
    [InlineData("https://user@app.example.com")]
    [InlineData("ftp://files.example.com")]
    [InlineData("https://app.example.com:443")]
    [InlineData("*, https://app.example.com")]
    public void A_malformed_ALLOWED_ORIGINS_refuses_to_start_naming_the_variable(string origins)
    {
        var refused = Assert.Throws<FunctionConfigurationException>(() => Build(new() { ["ALLOWED_ORIGINS"] = $"https://ok.example.com,{origins}" }));

        Assert.Contains("ALLOWED_ORIGINS", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_star_with_credentials_refuses_to_start()
    {
        var refused = Assert.Throws<FunctionConfigurationException>(() => Build(new() { ["ALLOWED_ORIGINS"] = "*", ["CORS_ALLOW_CREDENTIALS"] = "true" }));

        Assert.Contains("CORS_ALLOW_CREDENTIALS", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_CORS_ALLOW_CREDENTIALS_that_is_not_a_boolean_refuses_to_start()
    {
        var refused = Assert.Throws<FunctionConfigurationException>(() => Build(new() { ["ALLOWED_ORIGINS"] = App, ["CORS_ALLOW_CREDENTIALS"] = "yes" }));

        Assert.Contains("CORS_ALLOW_CREDENTIALS", refused.Message, StringComparison.Ordinal);
    }

    private static void Build(Dictionary<string, string?> environment)
    {
        environment["PORT"] = "0";
        FunctionHost.Build(typeof(EchoFunction).Assembly, ["--target", typeof(EchoFunction).FullName!], TestAuthority.With(environment));
    }

    private static Task<InProcessFunction> StartEchoAsync(Dictionary<string, string?> environment) =>
        InProcessFunction.StartAsync(typeof(EchoFunction).Assembly, environment, "--target", typeof(EchoFunction).FullName!);

    private static async Task<HttpResponseMessage> PreflightAsync(InProcessFunction function, string origin, string method)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/invoices");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        return await function.AnonymousClient.SendAsync(request, Token);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/invoices");
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request, Token);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    private static int Calls(InProcessFunction function) => function.App.Services.GetRequiredService<CallCounter>().Calls;
}
