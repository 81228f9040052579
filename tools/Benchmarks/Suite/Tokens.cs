using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Tools.BenchmarkData;
using InvoiceApi.Tools.Benchmarks.Measurements;

namespace InvoiceApi.Tools.Benchmarks.Suite;

/// <summary>RS256 tokens from the benchmark's local key, as the emulator issues them: the heaviest caller's and the writer's.</summary>
internal sealed class Tokens(LocalSigningKey key)
{
    private const string Issuer = "invoice-api-local";
    private const string Audience = "invoice-api";

    internal string Heaviest { get; } = key.IssueToken(DataSet.Caller(0), Issuer, Audience, TimeSpan.FromHours(6));

    internal string Writer { get; } = key.IssueToken(BenchmarkFixtures.Writer, Issuer, Audience, TimeSpan.FromHours(6));

    /// <summary>Sixteen writers, so concurrent creates do not all update the same caller's rollup rows.</summary>
    internal IReadOnlyList<string> Writers { get; } = Enumerable.Range(0, 16)
        .Select(index => key.IssueToken($"{BenchmarkFixtures.Writer}-{index:D2}", Issuer, Audience, TimeSpan.FromHours(6))).ToList();

    /// <summary>An HTTP client for <paramref name="baseAddress"/> that sends <paramref name="token"/>.</summary>
    internal static HttpClient Client(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
