using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using InvoiceApi.Tests.Hosting.GoogleFrameworkSwap;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.Hosting;

/// <summary>
/// Moving to Google's Functions Framework packages is package references and usings: both functions build against a
/// stand-in with exactly the public names of Google.Cloud.Functions.Framework / .Hosting 3.0.1 with only those swapped,
/// and served by its host, which does only what Google's does (target, startups in order, PORT, 404 for robots and
/// favicon, everything else to the function), they keep authentication, CORS, limits and problem+json: all of that is
/// the product's own startup.
/// </summary>
[Trait("Category", "publish")]
public sealed partial class GoogleFrameworkSwapTests(SwappedRepositoryCopy copy, PostgresServer server) : IClassFixture<SwappedRepositoryCopy>
{
    private const string AllowedOrigin = "https://app.example.com";
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_stand_in_host_runs_the_startups_in_order_answers_robots_and_favicon_with_404_and_gives_the_function_the_rest()
    {
        var build = await BuiltAsync(SwappedRepositoryCopy.StandInFolder + "/Sample/Sample.csproj");
        Assert.True(File.Exists(Path.Combine(copy.Root, SwappedRepositoryCopy.StandInFolder, "Sample/obj/Debug/net10.0/Sample.Program.g.cs")),
            "The stand-in's targets generate Main, as Google's package does.");
        await using var function = await FunctionProcess.StartExecutableAsync(build.Executable, [], Token);

        using var answered = await function.Client.PostAsync("/some/deep/path?x=1", new StringContent("{}"), Token);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("hello from the sample POST /some/deep/path", await answered.Content.ReadAsStringAsync(Token));
        Assert.Equal(["first", "second"], answered.Headers.GetValues("X-Startups"));
        foreach (var path in new[] { "/robots.txt", "/favicon.ico" })
        {
            using var reserved = await function.Client.GetAsync(path, Token);
            Assert.Equal(HttpStatusCode.NotFound, reserved.StatusCode);
            Assert.Equal("", await reserved.Content.ReadAsStringAsync(Token));
            // Startups' middleware runs first, then the framework's 404, never the function.
            Assert.Equal(["first", "second"], reserved.Headers.GetValues("X-Startups"));
        }
        Assert.Contains(function.Output, line => line.Contains("Serving function Sample.Function", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_stand_in_has_exactly_the_public_api_of_Google_3_0_1()
    {
        var build = await BuiltAsync(SwappedRepositoryCopy.StandInFolder + "/Sample/Sample.csproj");

        var api = PublicApi.Describe(build.Executable + ".dll", "Google.Cloud.Functions.Framework", "Google.Cloud.Functions.Hosting");

        Assert.Equal(PublicApi.Framework301.Order(StringComparer.Ordinal), api["Google.Cloud.Functions.Framework"]);
        Assert.Equal(PublicApi.Hosting301.Order(StringComparer.Ordinal), api["Google.Cloud.Functions.Hosting"]);
    }

    [Fact]
    public async Task Both_functions_build_against_the_stand_in_with_only_the_references_and_usings_swapped()
    {
        Assert.DoesNotContain("shared/Functions.Hosting", copy.CopiedProjectFolders);
        Assert.False(Directory.Exists(copy.PathOf("shared/Functions.Hosting")));
        Assert.All(copy.Edits, edit => Assert.True(
            SwappedRepositoryCopy.SwappedUsings.GetValueOrDefault(edit.Before) == edit.After || edit.File.EndsWith(".csproj", StringComparison.Ordinal),
            $"{edit.File}: {edit.Before} -> {edit.After}"));
        Assert.Contains(copy.Edits, edit => edit.File == "functions/Invoices/Invoices.csproj" && edit.After.Contains("Google.Cloud.Functions.Hosting.targets", StringComparison.Ordinal));
        Assert.Contains(copy.Edits, edit => edit.File == "functions/Stats/Stats.csproj" && edit.After.Contains("Google.Cloud.Functions.Hosting.csproj", StringComparison.Ordinal));

        await BuiltAsync("functions/Invoices/Invoices.csproj");
        await BuiltAsync("functions/Stats/Stats.csproj");

        // Nothing of our host is left for the code to lean on: no other name of it in any copied line of code.
        var leftovers = Directory.GetFiles(copy.Root, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select(line => (File: Path.GetRelativePath(copy.Root, file), Line: line.Trim())))
            .Where(entry => !entry.Line.StartsWith("//", StringComparison.Ordinal) && OurHostName().IsMatch(entry.Line))
            .Select(entry => $"{entry.File}: {entry.Line}")
            .ToList();
        Assert.Empty(leftovers);
    }

    [Fact]
    public async Task Invoices_under_the_stand_in_host_keeps_authentication_cors_limits_and_problem_json()
    {
        var build = await BuiltAsync("functions/Invoices/Invoices.csproj");
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        var environment = TestAuthority.With(database.RuntimeSocketVariables());
        environment["ALLOWED_ORIGINS"] = AllowedOrigin;
        await using var function = await FunctionProcess.StartExecutableAsync(build.Executable, environment, Token);

        await AssertHealthAndReservedPathsAsync(function);
        await AssertUnauthorizedAsync(function, "/");
        using (var listed = await SendAsync(function, HttpMethod.Get, "/", authorized: true))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }
        using (var preflight = new HttpRequestMessage(HttpMethod.Options, "/"))
        {
            preflight.Headers.Add("Origin", AllowedOrigin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            using var response = await function.Client.SendAsync(preflight, Token);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal(AllowedOrigin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        }
        using (var oversized = new HttpRequestMessage(HttpMethod.Post, "/"))
        {
            oversized.Headers.Authorization = new("Bearer", TestAuthority.Token());
            oversized.Content = new StringContent(new string(' ', 1024 * 1024 + 1), Encoding.UTF8, "application/json");
            using var response = await function.Client.SendAsync(oversized, Token);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        using (var unknown = await SendAsync(function, HttpMethod.Get, "/no/such/route", authorized: true))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Stats_under_the_stand_in_host_keeps_authentication_and_problem_json()
    {
        var build = await BuiltAsync("functions/Stats/Stats.csproj");
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        await using var function = await FunctionProcess.StartExecutableAsync(build.Executable, TestAuthority.With(database.RuntimeSocketVariables()), Token);

        await AssertHealthAndReservedPathsAsync(function);
        await AssertUnauthorizedAsync(function, "/dashboard");
        using (var dashboard = await SendAsync(function, HttpMethod.Get, "/dashboard", authorized: true))
        {
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        }
        using (var unknown = await SendAsync(function, HttpMethod.Get, "/no/such/route", authorized: true))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        }
    }

    private async Task<ProjectBuild> BuiltAsync(string project)
    {
        var build = await copy.BuildAsync(project);
        Assert.True(build.ExitCode == 0, $"dotnet build {project} in {copy.Root} failed:\n{build.Output}");
        return build;
    }

    private static async Task AssertHealthAndReservedPathsAsync(FunctionProcess function)
    {
        using (var health = await function.Client.GetAsync("/healthz", Token))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        using var robots = await function.Client.GetAsync("/robots.txt", Token);
        Assert.Equal(HttpStatusCode.NotFound, robots.StatusCode);
    }

    private static async Task AssertUnauthorizedAsync(FunctionProcess function, string path)
    {
        using var response = await SendAsync(function, HttpMethod.Get, path, authorized: false);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsync(FunctionProcess function, HttpMethod method, string path, bool authorized)
    {
        using var request = new HttpRequestMessage(method, path);
        if (authorized)
        {
            request.Headers.Authorization = new("Bearer", TestAuthority.Token());
        }
        return await function.Client.SendAsync(request, Token);
    }

    [GeneratedRegex(@"\bInvoiceApi\.Functions\.(Hosting|Framework)\b")]
    private static partial Regex OurHostName();
}
