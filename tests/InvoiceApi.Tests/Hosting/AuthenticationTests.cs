using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using InvoiceApi.Functions.Api;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Tests.Hosting.TestFunctions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.Hosting;

/// <summary>Only a valid token reaches a function; every kind of bad token is a 401 problem with WWW-Authenticate: Bearer.</summary>
public sealed class AuthenticationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_valid_local_token_brings_its_subject_to_the_function()
    {
        await using var function = await StartWhoAmIAsync(new());

        var (status, body) = await GetAsync(function, TestAuthority.Token("user-42"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("user-42 admin=False", body);
    }

    [Fact]
    public async Task An_admin_role_claim_marks_the_caller_as_admin()
    {
        await using var function = await StartWhoAmIAsync(new());

        var (_, body) = await GetAsync(function, TestAuthority.Token("ops-1", claims: new Dictionary<string, object> { ["role"] = "admin" }));

        Assert.Equal("ops-1 admin=True", body);
    }

    [Fact]
    public async Task A_missing_token_is_401_with_a_bearer_challenge()
    {
        await using var function = await StartWhoAmIAsync(new());

        using var response = await function.AnonymousClient.GetAsync("/", Token);

        await AssertUnauthorizedAsync(response, "Authorization: Bearer");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    public static TheoryData<string, string> BadTokens()
    {
        var other = LocalSigningKey.CreateRsaFile(Path.Combine(TemporaryFolder.Create("ivt-other-"), "k.pem"));
        var now = DateTime.UtcNow;
        return new()
        {
            { "expired", Sign(other: null, expires: now.AddMinutes(-5), notBefore: now.AddMinutes(-10)) },
            { "not yet valid", Sign(other: null, expires: now.AddDays(2), notBefore: now.AddDays(1)) },
            { "wrongly signed", other.IssueToken("user-1", TestAuthority.Issuer, TestAuthority.Audience, TimeSpan.FromMinutes(5)) },
            { "alg none", Unsigned() },
            { "wrong issuer", Sign(other: null, issuer: "https://evil.example") },
            { "wrong audience", Sign(other: null, audience: "another-api") },
            { "HS256 signed with the public key", HmacWithPublicKey() },
            { "not a JWT", "not-a-token" },
            { "a subject holding U+0000", SignPayload("sub", "\"user\\u00001\"") },
            { "a subject holding a lone surrogate", SignPayload("sub", "\"user\\ud800\"") },
            { "exp as a JSON string", SignPayload("exp", $"\"{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}\"") },
            { "nbf as a JSON string", SignPayload("nbf", $"\"{DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds()}\"") },
            { "iat as a JSON string", SignPayload("iat", $"\"{DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds()}\"") },
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_401_and_never_reaches_the_function(string kind, string token)
    {
        await using var function = await StartWhoAmIAsync(new());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await function.AnonymousClient.SendAsync(request, Token);

        var body = await AssertUnauthorizedAsync(response, "");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(kind));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/openapi.json")]
    public async Task Health_readiness_and_openapi_stay_open(string path)
    {
        await using var function = await InProcessFunction.StartAsync(
            typeof(EchoFunction).Assembly, new(), "--target", typeof(EchoFunction).FullName!);

        using var response = await function.AnonymousClient.GetAsync(path, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Firebase_tokens_are_checked_against_keys_from_the_published_jwks()
    {
        const string project = "demo-books";
        var issuer = $"https://securetoken.google.com/{project}";
        await using var keys = await LoopbackKeyServer.StartAsync(issuer);
        await using var function = await StartWhoAmIAsync(new()
        {
            ["AUTH_LOCAL_KEY_FILE"] = null,
            ["AUTH_FIREBASE_PROJECT"] = project,
            ["AUTH_FIREBASE_METADATA_URL"] = keys.MetadataAddress,
        });

        var (good, body) = await GetAsync(function, keys.Token(issuer, project, "firebase-uid-7"));
        var (otherProject, _) = await GetAsync(function, keys.Token("https://securetoken.google.com/other", "other"));
        var (local, _) = await GetAsync(function, TestAuthority.Token());

        Assert.Equal(HttpStatusCode.OK, good);
        Assert.Equal("firebase-uid-7 admin=False", body);
        Assert.Equal(HttpStatusCode.Unauthorized, otherProject);
        Assert.Equal(HttpStatusCode.Unauthorized, local);
        Assert.True(keys.MetadataRequests >= 1);
    }

    [Fact]
    public async Task Google_service_tokens_need_the_configured_audience_and_an_allowed_verified_account()
    {
        const string audience = "https://invoices-abc-uc.a.run.app";
        const string scheduler = "scheduler@acme.iam.gserviceaccount.com";
        await using var keys = await LoopbackKeyServer.StartAsync("https://accounts.google.com");
        await using var function = await StartWhoAmIAsync(new()
        {
            ["AUTH_LOCAL_KEY_FILE"] = null,
            ["AUTH_GOOGLE_AUDIENCE"] = audience,
            ["AUTH_GOOGLE_ALLOWED_EMAILS"] = $"{scheduler}, billing@acme.iam.gserviceaccount.com",
            ["AUTH_GOOGLE_METADATA_URL"] = keys.MetadataAddress,
        });
        string Google(string aud, string email, bool verified = true) =>
            keys.Token("https://accounts.google.com", aud, "1170000000" + email.Length, new Dictionary<string, object> { ["email"] = email, ["email_verified"] = verified });

        var (good, body) = await GetAsync(function, Google(audience, scheduler));
        var (wrongAudience, _) = await GetAsync(function, Google("https://stats-abc-uc.a.run.app", scheduler));
        var (stranger, strangerBody) = await GetAsync(function, Google(audience, "anyone@their-own-project.iam.gserviceaccount.com"));
        var (unverified, _) = await GetAsync(function, Google(audience, scheduler, verified: false));
        var (noEmail, _) = await GetAsync(function, keys.Token("https://accounts.google.com", audience, "117"));

        Assert.Equal(HttpStatusCode.OK, good);
        Assert.Equal($"1170000000{scheduler.Length} admin=False", body);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience);
        Assert.Equal(HttpStatusCode.Unauthorized, stranger);
        Assert.Contains("AUTH_GOOGLE_ALLOWED_EMAILS", strangerBody, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (unverified, noEmail));
    }

    [Fact]
    public async Task A_google_service_caller_acts_for_the_account_and_role_configured_for_its_email()
    {
        const string audience = "https://invoices-abc-uc.a.run.app";
        const string scheduler = "scheduler@acme.iam.gserviceaccount.com";
        await using var keys = await LoopbackKeyServer.StartAsync("https://accounts.google.com");
        var settings = new Dictionary<string, string?>
        {
            ["AUTH_LOCAL_KEY_FILE"] = null, ["AUTH_GOOGLE_AUDIENCE"] = audience, ["AUTH_GOOGLE_ALLOWED_EMAILS"] = "*",
            ["AUTH_GOOGLE_METADATA_URL"] = keys.MetadataAddress, ["AUTH_GOOGLE_ACCOUNTS"] = $"{scheduler}=acct_acme:editor",
        };
        await using var function = await StartWhoAmIAsync(settings);
        string Google(string email, bool verified = true) =>
            keys.Token("https://accounts.google.com", audience, "sa-" + email.Length, new Dictionary<string, object> { ["email"] = email, ["email_verified"] = verified });

        var (_, mapped) = await GetAsync(function, Google(scheduler));
        var (_, unlisted) = await GetAsync(function, Google("reports@acme.iam.gserviceaccount.com"));
        var (_, unverified) = await GetAsync(function, Google(scheduler, verified: false));
        settings["AUTH_GOOGLE_ACCOUNTS"] = $"{scheduler}=acct_acme:admin";
        var refused = Assert.Throws<FunctionConfigurationException>(() => FunctionHost.Build(
            typeof(WhoAmIFunction).Assembly, ["--target", typeof(WhoAmIFunction).FullName!], TestAuthority.With(new(settings) { ["PORT"] = "0" })));

        Assert.Equal($"acct_acme admin=False as sa-{scheduler.Length} editor", mapped);
        Assert.Equal("sa-36 admin=False", unlisted);
        Assert.Equal($"sa-{scheduler.Length} admin=False", unverified);
        Assert.Contains("AUTH_GOOGLE_ACCOUNTS entry", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Google_tokens_from_any_account_only_with_an_explicit_star()
    {
        const string audience = "https://invoices-abc-uc.a.run.app";
        await using var keys = await LoopbackKeyServer.StartAsync("https://accounts.google.com");
        var settings = new Dictionary<string, string?>
        {
            ["AUTH_LOCAL_KEY_FILE"] = null, ["AUTH_GOOGLE_AUDIENCE"] = audience, ["AUTH_GOOGLE_METADATA_URL"] = keys.MetadataAddress,
        };
        var refused = Assert.Throws<FunctionConfigurationException>(() => FunctionHost.Build(
            typeof(WhoAmIFunction).Assembly, ["--target", typeof(WhoAmIFunction).FullName!], TestAuthority.With(new(settings) { ["PORT"] = "0" })));
        settings["AUTH_GOOGLE_ALLOWED_EMAILS"] = "*";
        await using var function = await StartWhoAmIAsync(settings);

        var (anyone, _) = await GetAsync(function, keys.Token("https://accounts.google.com", audience, "118"));

        Assert.Contains("AUTH_GOOGLE_ALLOWED_EMAILS", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, anyone);
    }

    [Fact]
    public async Task An_unreachable_key_server_is_a_503_with_retry_after_not_a_401()
    {
        await using var keys = await LoopbackKeyServer.StartAsync("https://accounts.google.com");
        var token = keys.Token("https://accounts.google.com", "https://x", "119",
            new Dictionary<string, object> { ["email"] = "a@b.iam.gserviceaccount.com", ["email_verified"] = true });
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var function = await StartWhoAmIAsync(new()
        {
            ["AUTH_LOCAL_KEY_FILE"] = null, ["AUTH_GOOGLE_AUDIENCE"] = "https://x", ["AUTH_GOOGLE_ALLOWED_EMAILS"] = "*",
            ["AUTH_GOOGLE_METADATA_URL"] = $"http://127.0.0.1:{closedPort}/.well-known/openid-configuration",
        });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await function.AnonymousClient.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("AUTH_GOOGLE_METADATA_URL", "http://keys.internal/.well-known/openid-configuration")]
    [InlineData("AUTH_FIREBASE_METADATA_URL", "htps://typo.example.com/x")]
    public void A_key_server_address_that_is_not_https_is_refused_at_start(string variable, string address)
    {
        var error = Assert.Throws<FunctionConfigurationException>(() => FunctionHost.Build(
            typeof(WhoAmIFunction).Assembly, ["--target", typeof(WhoAmIFunction).FullName!], TestAuthority.With(new()
            {
                ["PORT"] = "0", ["AUTH_FIREBASE_PROJECT"] = "acme", ["AUTH_GOOGLE_AUDIENCE"] = "https://x", ["AUTH_GOOGLE_ALLOWED_EMAILS"] = "*",
                [variable] = address,
            })));

        Assert.Contains($"{variable} must be an https:// address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_key_is_refused_on_Cloud_Run_naming_the_loud_override()
    {
        var error = Assert.Throws<FunctionConfigurationException>(() => FunctionHost.Build(
            typeof(WhoAmIFunction).Assembly, ["--target", typeof(WhoAmIFunction).FullName!],
            TestAuthority.With(new() { ["K_SERVICE"] = "invoices", ["PORT"] = "0" })));

        Assert.Contains(AuthSettings.LoudLocalOverride, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_loud_override_allows_a_local_key_on_Cloud_Run()
    {
        await using var function = await StartWhoAmIAsync(new() { ["K_SERVICE"] = "invoices", [AuthSettings.LoudLocalOverride] = "true" });

        var (status, _) = await GetAsync(function, TestAuthority.Token());

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public void No_authentication_configured_refuses_to_start_listing_the_variables()
    {
        var error = Assert.Throws<FunctionConfigurationException>(() => FunctionHost.Build(
            typeof(WhoAmIFunction).Assembly, ["--target", typeof(WhoAmIFunction).FullName!], new Dictionary<string, string?> { ["PORT"] = "0" }));

        foreach (var variable in new[] { "AUTH_FIREBASE_PROJECT", "AUTH_GOOGLE_AUDIENCE", "AUTH_LOCAL_KEY_FILE" })
        {
            Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_short_hs256_secret_is_refused()
    {
        var path = Path.Combine(TemporaryFolder.Create("ivt-hs-"), "secret");
        File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

        var error = Assert.Throws<FunctionConfigurationException>(() => LocalSigningKey.Load(path));

        Assert.Contains("at least 256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_enough_hs256_secret_works()
    {
        var path = Path.Combine(TemporaryFolder.Create("ivt-hs-"), "secret");
        File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var key = LocalSigningKey.Load(path);
        await using var function = await StartWhoAmIAsync(new() { ["AUTH_LOCAL_KEY_FILE"] = path });

        var (status, body) = await GetAsync(function, key.IssueToken("hs-user", TestAuthority.Issuer, TestAuthority.Audience, TimeSpan.FromMinutes(1)));

        Assert.Equal("HS256", key.Algorithm);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hs-user admin=False", body);
    }

    private static Task<InProcessFunction> StartWhoAmIAsync(Dictionary<string, string?> environment) =>
        InProcessFunction.StartAsync(typeof(WhoAmIFunction).Assembly, environment, "--target", typeof(WhoAmIFunction).FullName!);

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(InProcessFunction function, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await function.AnonymousClient.SendAsync(request, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    private static async Task<string> AssertUnauthorizedAsync(HttpResponseMessage response, string detailContains)
    {
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":401", body, StringComparison.Ordinal);
        Assert.Contains(detailContains, body, StringComparison.Ordinal);
        Assert.DoesNotContain("admin=", body, StringComparison.Ordinal);
        return body;
    }

    private static string Sign(LocalSigningKey? other, DateTime? expires = null, DateTime? notBefore = null, string issuer = TestAuthority.Issuer, string audience = TestAuthority.Audience)
    {
        var key = other ?? LocalSigningKey.Load(TestAuthority.KeyPath);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = "user-1" },
            SigningCredentials = new SigningCredentials(key.Key, key.Algorithm),
        });
    }

    // A correctly signed token whose payload is written by hand, with one member replaced by raw JSON.
    private static string SignPayload(string member, string rawJson)
    {
        var now = DateTimeOffset.UtcNow;
        var members = new Dictionary<string, string>
        {
            ["iss"] = $"\"{TestAuthority.Issuer}\"", ["aud"] = $"\"{TestAuthority.Audience}\"", ["sub"] = "\"user-1\"",
            ["iat"] = $"{now.AddMinutes(-1).ToUnixTimeSeconds()}", ["nbf"] = $"{now.AddMinutes(-1).ToUnixTimeSeconds()}", ["exp"] = $"{now.AddMinutes(5).ToUnixTimeSeconds()}",
        };
        members[member] = rawJson;
        var payload = "{" + string.Join(",", members.Select(pair => $"\"{pair.Key}\":{pair.Value}")) + "}";
        var key = LocalSigningKey.Load(TestAuthority.KeyPath);
        return new JsonWebTokenHandler().CreateToken(payload, new SigningCredentials(key.Key, key.Algorithm));
    }

    private static string Unsigned()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        return $"{Part("""{"alg":"none","typ":"JWT"}""")}.{Part($$"""{"iss":"{{TestAuthority.Issuer}}","aud":"{{TestAuthority.Audience}}","sub":"user-1","exp":{{exp}}}""")}.";
    }

    // The classic confusion attack: HMAC "signed" with the RSA public key as the secret.
    private static string HmacWithPublicKey()
    {
        var rsa = (RsaSecurityKey)LocalSigningKey.Load(TestAuthority.KeyPath).Key;
        var publicKey = rsa.Rsa.ExportSubjectPublicKeyInfo();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestAuthority.Issuer,
            Audience = TestAuthority.Audience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = "user-1" },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(publicKey), SecurityAlgorithms.HmacSha256),
        });
    }
}
