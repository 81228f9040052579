using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Tests.Hosting.TestFunctions;

namespace InvoiceApi.Tests.Hosting;

/// <summary>
/// A token already accepted is taken again without a new check only while it has not expired and for at most five
/// minutes; refused tokens are never kept.
/// </summary>
public sealed class AcceptedTokensTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);
    private static readonly Caller Member = new("acct-1", AccountRole.Editor, "user-1", null, IsAdmin: false);

    [Fact]
    public void An_accepted_token_is_reused_until_it_expires()
    {
        var clock = new SteppedClock(Start);
        var tokens = new AcceptedTokens(clock);
        tokens.Add("Bearer a", PrincipalExpiring(Start.AddMinutes(2)), Member);

        Assert.True(tokens.TryGet("Bearer a", out var principal, out var caller));
        Assert.Same(Member, caller);
        Assert.Equal("user-1", principal.FindFirst("sub")!.Value);
        clock.Now = Start.AddMinutes(2).AddSeconds(-1);
        Assert.True(tokens.TryGet("Bearer a", out _, out _));
        clock.Now = Start.AddMinutes(2);
        Assert.False(tokens.TryGet("Bearer a", out _, out _));
    }

    [Fact]
    public void A_long_lived_token_is_checked_again_after_five_minutes()
    {
        var clock = new SteppedClock(Start);
        var tokens = new AcceptedTokens(clock);
        tokens.Add("Bearer a", PrincipalExpiring(Start.AddHours(1)), Member);

        clock.Now = Start.Add(AcceptedTokens.MaxAge).AddSeconds(-1);
        Assert.True(tokens.TryGet("Bearer a", out _, out _));
        clock.Now = Start.Add(AcceptedTokens.MaxAge);
        Assert.False(tokens.TryGet("Bearer a", out _, out _));
    }

    [Fact]
    public void Only_the_exact_same_text_is_a_hit()
    {
        var tokens = new AcceptedTokens(new SteppedClock(Start));
        tokens.Add("Bearer a", PrincipalExpiring(Start.AddHours(1)), Member);

        Assert.False(tokens.TryGet("Bearer A", out _, out _));
        Assert.False(tokens.TryGet("Bearer a ", out _, out _));
        Assert.False(tokens.TryGet("", out _, out _));
    }

    [Fact]
    public void A_token_already_expired_or_without_exp_is_not_kept()
    {
        var tokens = new AcceptedTokens(new SteppedClock(Start));
        // The handler accepts a token up to 30 s past exp (clock skew); the table never does.
        tokens.Add("Bearer late", PrincipalExpiring(Start.AddSeconds(-10)), Member);
        tokens.Add("Bearer none", new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "user-1")], "test")), Member);

        Assert.False(tokens.TryGet("Bearer late", out _, out _));
        Assert.False(tokens.TryGet("Bearer none", out _, out _));
    }

    [Fact]
    public void A_flood_of_distinct_tokens_keeps_the_table_bounded()
    {
        var tokens = new AcceptedTokens(new SteppedClock(Start));
        for (var i = 0; i <= AcceptedTokens.Capacity; i++)
        {
            tokens.Add($"Bearer {i}", PrincipalExpiring(Start.AddHours(1)), Member);
        }

        // The table was full when the last one came: it was emptied, then took the last one.
        Assert.False(tokens.TryGet("Bearer 0", out _, out _));
        Assert.True(tokens.TryGet($"Bearer {AcceptedTokens.Capacity}", out _, out _));
    }

    [Fact]
    public async Task A_repeated_token_still_reaches_the_function_as_its_caller_and_a_refused_one_stays_refused()
    {
        await using var function = await InProcessFunction.StartAsync(typeof(WhoAmIFunction).Assembly, new(), "--target", typeof(WhoAmIFunction).FullName!);
        var good = TestAuthority.Token("user-7");
        var badAccount = TestAuthority.Token("user-8", claims: new Dictionary<string, object> { ["account_role"] = "superuser" });

        for (var i = 0; i < 3; i++)
        {
            using var accepted = new HttpRequestMessage(HttpMethod.Get, "/");
            accepted.Headers.Authorization = new("Bearer", good);
            using var acceptedResponse = await function.AnonymousClient.SendAsync(accepted, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, acceptedResponse.StatusCode);
            Assert.Equal("user-7 admin=False", await acceptedResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

            using var refused = new HttpRequestMessage(HttpMethod.Get, "/");
            refused.Headers.Authorization = new("Bearer", badAccount);
            using var refusedResponse = await function.AnonymousClient.SendAsync(refused, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, refusedResponse.StatusCode);
        }
    }

    [Fact]
    public async Task A_token_is_validated_once_per_instance_not_once_per_request_and_never_for_health()
    {
        await using var function = await InProcessFunction.StartAsync(typeof(WhoAmIFunction).Assembly, new(), "--target", typeof(WhoAmIFunction).FullName!);
        // Counts the token handler's runs: the local scheme's options are the instance the handler reads on each request.
        var options = function.App.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get("local");
        var validations = 0;
        var previous = options.Events.OnMessageReceived;
        options.Events.OnMessageReceived = context =>
        {
            Interlocked.Increment(ref validations);
            return previous(context);
        };
        var token = TestAuthority.Token("user-9");

        foreach (var path in new[] { "/", "/", "/healthz", "/" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new("Bearer", token);
            using var response = await function.AnonymousClient.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Once: the host adds no authentication middleware of its own in front of the caller gate (it validated every
        // request's token again, /healthz's too), and the gate takes an accepted token from AcceptedTokens.
        Assert.Equal(1, validations);
    }

    private static ClaimsPrincipal PrincipalExpiring(DateTimeOffset expires) =>
        new(new ClaimsIdentity([new Claim("sub", "user-1"), new Claim("exp", expires.ToUnixTimeSeconds().ToString(), ClaimValueTypes.Integer64)], "test"));

    private sealed class SteppedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
