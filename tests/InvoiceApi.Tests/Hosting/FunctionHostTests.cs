using System.Net;
using System.Text.Json;
using InvoiceApi.Tests.Hosting.TestFunctions;
using Microsoft.Extensions.DependencyInjection;

namespace InvoiceApi.Tests.Hosting;

/// <summary>The host keeps the Functions Framework's behaviour and adds problem+json errors and health endpoints.</summary>
public sealed class FunctionHostTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/robots.txt")]
    [InlineData("/favicon.ico")]
    public async Task Robots_and_favicon_are_404_without_calling_the_function(string path)
    {
        await using var function = await StartEchoAsync();

        using var response = await function.AnonymousClient.GetAsync(path, Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, function.App.Services.GetRequiredService<CallCounter>().Calls);
    }

    [Fact]
    public async Task Every_other_path_and_method_reaches_the_function_unchanged()
    {
        await using var function = await StartEchoAsync();

        using var response = await function.Client.PostAsync("/some/deep/path?x=1&y=two", new StringContent("{}"), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("POST /some/deep/path?x=1&y=two", await response.Content.ReadAsStringAsync(Token));
        Assert.Equal(1, function.App.Services.GetRequiredService<CallCounter>().Calls);
    }

    [Fact]
    public async Task A_startup_named_on_the_function_class_configures_services_and_the_pipeline()
    {
        await using var function = await StartEchoAsync();

        using var response = await function.Client.GetAsync("/", Token);

        Assert.Equal("applied", response.Headers.GetValues("X-Startup").Single());
    }

    [Fact]
    public async Task Every_startups_configuration_runs_before_any_startups_services_as_in_the_functions_framework()
    {
        await using var function = await InProcessFunction.StartAsync(typeof(StartupOrderFunction).Assembly, new(), "--target", typeof(StartupOrderFunction).FullName!);

        var seen = await function.Client.GetStringAsync("/", Token);

        Assert.Equal("added by the second startup", seen);
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_without_stack_trace_sql_or_secret()
    {
        await using var function = await InProcessFunction.StartAsync(
            typeof(ThrowingFunction).Assembly, [], "--target", typeof(ThrowingFunction).FullName!);

        using var response = await function.Client.GetAsync("/invoices/42", Token);
        var body = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("/invoices/42", problem.RootElement.GetProperty("instance").GetString());
        foreach (var member in new[] { "type", "title", "detail" })
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty(member).GetString()));
        }
        foreach (var leak in new[] { ThrowingFunction.Secret, "SELECT", "cloudsql", "InvalidOperationException", " at " })
        {
            Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Healthz_answers_without_calling_the_function()
    {
        await using var function = await StartEchoAsync();

        using var response = await function.AnonymousClient.GetAsync("/healthz", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, function.App.Services.GetRequiredService<CallCounter>().Calls);
    }

    [Fact]
    public async Task Without_a_container_the_host_listens_on_loopback_only()
    {
        await using var function = await StartEchoAsync();

        Assert.StartsWith("http://127.0.0.1:", function.App.Urls.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listen_address_loopback_keeps_a_cloud_run_lookalike_off_the_network()
    {
        await using var function = await InProcessFunction.StartAsync(typeof(EchoFunction).Assembly,
            new() { ["K_SERVICE"] = "echo", ["LISTEN_ADDRESS"] = "loopback", ["AUTH_LOCAL_KEY_ALLOW_ON_CLOUD_RUN_INSECURE"] = "true" },
            "--target", typeof(EchoFunction).FullName!);

        Assert.StartsWith("http://127.0.0.1:", function.App.Urls.Single(), StringComparison.Ordinal);
    }

    private static Task<InProcessFunction> StartEchoAsync() =>
        InProcessFunction.StartAsync(typeof(EchoFunction).Assembly, new(), "--target", typeof(EchoFunction).FullName!);
}
