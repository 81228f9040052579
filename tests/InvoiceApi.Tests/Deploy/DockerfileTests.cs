using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using InvoiceApi.Tests.Hosting;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.Deploy;

/// <summary>
/// The Dockerfile's publish command works here: every deployable becomes a Native AOT binary without a single trim or AOT
/// warning, and the binaries do their work against PostgreSQL as the image runs them.
/// </summary>
[Trait("Category", Category.Publish)]
public sealed partial class DockerfileTests(PostgresServer server, NativePublishes publishes) : IClassFixture<NativePublishes>
{
    private static readonly string Dockerfile = RepositoryFiles.Read("Dockerfile");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Every image the pipeline builds from the Dockerfile: build arguments PROJECT and ASSEMBLY.</summary>
    public static TheoryData<string, string> Deployables()
    {
        var data = new TheoryData<string, string>();
        foreach (var (folder, assembly) in RepositoryFiles.Functions())
        {
            data.Add($"functions/{folder}", assembly);
        }
        data.Add("tools/Migrator", "InvoiceApi.Migrator");
        return data;
    }

    [Theory]
    [MemberData(nameof(Deployables))]
    public async Task The_Dockerfile_publish_command_builds_a_native_binary_without_any_trim_or_AOT_warning(string project, string assembly)
    {
        var published = await publishes.OfAsync(project, assembly);
        TestContext.Current.TestOutputHelper?.WriteLine($"{published.Command}: exit {published.ExitCode} in {published.Duration.TotalSeconds:F0} s");

        Assert.True(published.ExitCode == 0, published.Output);
        // TreatWarningsAsErrors already fails the publish on a warning; this names every one, IL2xxx and IL3xxx above all.
        Assert.True(published.Diagnostics.Count == 0, $"{published.Diagnostics.Count} diagnostics:\n{string.Join('\n', published.Diagnostics)}");
        Assert.Contains("Generating native code", published.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(published.Binary), $"{published.Binary} is missing:\n{published.Output}");
        // Native code only: no IL assembly or runtime configuration for a .NET runtime to load.
        var folder = Path.GetDirectoryName(published.Binary)!;
        Assert.False(File.Exists(Path.Combine(folder, assembly + ".dll")));
        Assert.False(File.Exists(Path.Combine(folder, assembly + ".runtimeconfig.json")));
    }

    [Fact]
    public async Task The_native_functions_serve_every_kind_of_request_against_PostgreSQL()
    {
        var invoicesBinary = await PublishedAsync("functions/Invoices", "Invoices");
        var statsBinary = await PublishedAsync("functions/Stats", "Stats");
        var database = await server.CreateDatabaseAsync(migrated: true, Token);
        var variables = TestAuthority.With(database.RuntimeSocketVariables());
        var clock = Stopwatch.StartNew();
        await using var invoices = await FunctionProcess.StartExecutableAsync(invoicesBinary, variables, Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"Invoices (Native AOT) answered /healthz {clock.ElapsedMilliseconds} ms after exec");
        await using var stats = await FunctionProcess.StartExecutableAsync(statsBinary, variables, Token);
        var caller = new AuthenticationHeaderValue("Bearer", TestAuthority.Token("aot-caller"));
        invoices.Client.DefaultRequestHeaders.Authorization = caller;
        stats.Client.DefaultRequestHeaders.Authorization = caller;

        await ExerciseInvoicesAsync(invoices.Client);
        await ExerciseStatsAsync(stats.Client);

        // Nothing failed on the way, not even where a response still looked right.
        Assert.DoesNotContain(invoices.Output.Concat(stats.Output), line => ErrorLogLine().IsMatch(line));
    }

    [Fact]
    public async Task The_native_migrator_migrates_a_new_database_and_exits_0()
    {
        var migrator = await PublishedAsync("tools/Migrator", "InvoiceApi.Migrator");
        var database = await server.CreateDatabaseAsync(migrated: false, Token);

        var migrate = await ProcessRun.RunAsync(migrator, ["migrate"], Path.GetTempPath(), database.SocketVariables(), Token);
        var status = await ProcessRun.RunAsync(migrator, ["status"], Path.GetTempPath(), database.SocketVariables(), Token);

        Assert.True(migrate.ExitCode == 0, migrate.Output);
        Assert.Contains("schema verified", migrate.Output, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Matches(@"1\s+applied\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+0001_create_invoices\.sql", status.Output);
    }

    [Fact]
    public async Task Without_authentication_settings_the_native_function_refuses_to_start_saying_why()
    {
        var stats = await PublishedAsync("functions/Stats", "Stats");

        var start = await ProcessRun.RunAsync(stats, [], Path.GetTempPath(), new() { ["INSTANCE_HOST"] = "127.0.0.1", ["DB_USER"] = "app", ["DB_NAME"] = "invoices" }, Token);

        Assert.NotEqual(0, start.ExitCode);
        Assert.Contains("AUTH_FIREBASE_PROJECT", start.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_publishes_with_Native_AOT_and_runs_on_chiseled_runtime_deps_as_a_non_root_user()
    {
        var stages = FromLine().Matches(Dockerfile).Select(match => match.Groups[1].Value).ToList();
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0-noble", "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled"], stages);

        var build = Dockerfile[..Dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)];
        Assert.Matches(@"apt-get install [^\n]*\bclang\b", build);
        var publish = NativePublishes.DockerfileCommand();
        Assert.Contains("-r linux-x64", publish, StringComparison.Ordinal);
        Assert.Contains("-p:PublishAot=true", publish, StringComparison.Ordinal);

        var runtime = Dockerfile[Dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        var user = Assert.Single(UserLine().Matches(runtime)).Groups[1].Value;
        Assert.False(user is "root" or "0" or "0:0", $"USER {user} is root.");
        Assert.Contains("ENTRYPOINT [\"/app/entrypoint\"]", runtime, StringComparison.Ordinal);
        Assert.Contains("ln -s \"$ASSEMBLY\" /app/entrypoint", Dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("--port", Dockerfile, StringComparison.Ordinal);
        // Chiseled images have neither time zone data nor ICU: Stats' `tz` needs the zone files, and without ICU
        // globalization must stay invariant or the binary stops at start.
        Assert.Contains("COPY --from=publish /usr/share/zoneinfo /usr/share/zoneinfo", runtime, StringComparison.Ordinal);
        Assert.Contains("<InvariantGlobalization>true</InvariantGlobalization>", RepositoryFiles.Read("Directory.Build.props"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".dockerignore")]
    [InlineData(".gcloudignore")]
    public void Build_output_local_data_and_test_results_stay_out_of_uploads(string file)
    {
        var lines = RepositoryFiles.Read(file).Split('\n').Select(line => line.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", ".local/", "**/TestResults/" }, lines);
        // The build needs these: the Dockerfile, the tests and the CI script run in Cloud Build.
        Assert.DoesNotContain(lines, line => line is "Dockerfile" or "tests/" or ".ci/" or "cloudbuild.yaml");
    }

    private async Task<string> PublishedAsync(string project, string assembly)
    {
        var published = await publishes.OfAsync(project, assembly);
        Assert.True(published.ExitCode == 0 && File.Exists(published.Binary), published.Output);
        return published.Binary;
    }

    // Every path that differs under Native AOT: Dapper.AOT reads and writes (byte[] included, by the idempotent replay),
    // JSON in and out, validation, COPY import, CSV export, the schema check behind /readyz.
    private static async Task ExerciseInvoicesAsync(HttpClient client)
    {
        await ExpectAsync(client, HttpMethod.Get, "/readyz", null, HttpStatusCode.OK);
        // Dated a few days ago, so the dashboard's default period (the last 12 months) holds every one.
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var invoice = $$"""{"date":"{{day}}","provider":"Papelería El Sol","nit":"900123456","amount":"1234.50","category":"Office"}""";
        var created = await ExpectAsync(client, HttpMethod.Post, "/", Json(invoice), HttpStatusCode.Created, ("Idempotency-Key", "aot-1"));
        var replayed = await ExpectAsync(client, HttpMethod.Post, "/", Json(invoice), HttpStatusCode.Created, ("Idempotency-Key", "aot-1"));
        var id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(created, replayed);
        Assert.Contains("\"nit\":\"900123456-8\"", await ExpectAsync(client, HttpMethod.Get, $"/{id}", null, HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Contains(id, await ExpectAsync(client, HttpMethod.Get, "/?status=pending&q=papeleria&limit=5", null, HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Contains("\"status\":\"paid\"", await ExpectAsync(client, HttpMethod.Patch, $"/{id}",
            new StringContent("""{"status":"paid"}""", Encoding.UTF8, "application/merge-patch+json"), HttpStatusCode.OK, ("If-Match", "\"1\"")), StringComparison.Ordinal);
        Assert.Contains("\"imported\":2", await ExpectAsync(client, HttpMethod.Post, "/import",
            new StringContent($"date,provider,amount,category,currency\r\n{day},Acme,10.00,Food,COP\r\n{day},Beta,20,Food,USD\r\n", Encoding.UTF8, "text/csv"),
            HttpStatusCode.Created), StringComparison.Ordinal);
        var csv = await ExpectAsync(client, HttpMethod.Get, "/export.csv?sort=provider&order=asc", null, HttpStatusCode.OK);
        Assert.Equal(4, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("\"errors\"", await ExpectAsync(client, HttpMethod.Post, "/", Json("""{"date":"not a date","amount":true}"""), HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        Assert.StartsWith("{", await ExpectAsync(client, HttpMethod.Get, "/openapi.json", null, HttpStatusCode.OK), StringComparison.Ordinal);
    }

    // The invoices above, as the rollups count them, in a time zone read from the zone files (globalization is invariant).
    private static async Task ExerciseStatsAsync(HttpClient client)
    {
        await ExpectAsync(client, HttpMethod.Get, "/readyz", null, HttpStatusCode.OK);
        var dashboard = await ExpectAsync(client, HttpMethod.Get, "/dashboard?tz=Asia/Tokyo", null, HttpStatusCode.OK);
        Assert.Contains("\"time_zone\":\"Asia/Tokyo\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("\"currency\":\"COP\",\"count\":2,\"total\":\"1244.50\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("Papelería El Sol", await ExpectAsync(client, HttpMethod.Get, "/providers", null, HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Contains("\"by\":\"category\"", await ExpectAsync(client, HttpMethod.Get, "/trend?months=3&by=category", null, HttpStatusCode.OK), StringComparison.Ordinal);
        await ExpectAsync(client, HttpMethod.Get, "/dashboard?tz=Mars/Olympus_Mons", null, HttpStatusCode.BadRequest);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string> ExpectAsync(HttpClient client, HttpMethod method, string path, HttpContent? content,
        HttpStatusCode expected, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(request, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    [GeneratedRegex(@"^\S+ (fail|crit) ")]
    private static partial Regex ErrorLogLine();

    [GeneratedRegex(@"^FROM\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^USER\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex UserLine();
}
