using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api.Problems;

/// <summary>
/// An RFC 9457 problem: what went wrong, for the client. Never carries stack traces, SQL or connection strings.
/// </summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Type">A URI naming the kind of problem (see <see cref="ProblemTypes"/>).</param>
/// <param name="Title">A short summary that is the same for every occurrence of the type.</param>
/// <param name="Detail">What happened this time and, where possible, what to do about it.</param>
public sealed record Problem(int Status, string Type, string Title, string Detail) : IResult
{
    /// <summary>Per-field messages, for validation problems.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors { get; init; }

    /// <summary>When set, sent as a Retry-After header (whole seconds).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Writes this problem as the whole response (a handler may return it as its result).</summary>
    public Task ExecuteAsync(HttpContext httpContext) => ProblemWriter.WriteAsync(httpContext, this);
}
