using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace Stats.Problems;

/// <summary>The problems the dashboard operations answer with (RFC 9457, design/API.md "Errors").</summary>
internal static class StatsProblems
{
    internal const string BadQueryType = ProblemTypes.Prefix + "bad-query";
    internal const string MethodNotAllowedType = ProblemTypes.Prefix + "method-not-allowed";

    /// <summary>404: no operation lives at this path.</summary>
    internal static Problem NoSuchRoute(HttpRequest request) =>
        new(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", $"No dashboard operation answers {request.Method} {request.Path}.");

    /// <summary>405: the path exists, the method does not (the Allow header lists the ones that do).</summary>
    internal static Problem MethodNotAllowed(HttpRequest request, string allowed) =>
        new(StatusCodes.Status405MethodNotAllowed, MethodNotAllowedType, "Method not allowed",
            $"{request.Path} answers {allowed}, not {request.Method}: the dashboard is read-only.");

    /// <summary>400: a query parameter is unknown, repeated, malformed or out of range; <paramref name="errors"/> names each one.</summary>
    internal static Problem BadQuery(IReadOnlyDictionary<string, IReadOnlyList<string>> errors) =>
        new(StatusCodes.Status400BadRequest, BadQueryType, "Invalid query parameters",
            "One or more query parameters are invalid; see errors.") { Errors = errors };
}
