using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Requests;
using Microsoft.AspNetCore.Http;

namespace Stats;

/// <summary>400 for a request's query parameters (RFC 9457, docs/api.md "Errors").</summary>
internal static class BadQuery
{
    internal const string Type = ProblemTypes.Prefix + "bad-query";

    /// <summary>A parameter is unknown, repeated, malformed or out of range; the problem's errors name each one.</summary>
    internal static Problem Of(QueryReader query) =>
        new(StatusCodes.Status400BadRequest, Type, "Invalid query parameters", "One or more query parameters are invalid; see errors.")
        {
            Errors = query.Errors(),
        };
}
