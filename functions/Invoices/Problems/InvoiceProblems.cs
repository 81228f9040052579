using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices.Problems;

/// <summary>The problems the invoice operations answer with (RFC 9457, design/API.md "Errors").</summary>
internal static class InvoiceProblems
{
    internal const string ValidationType = ProblemTypes.Prefix + "validation";
    internal const string BadQueryType = ProblemTypes.Prefix + "bad-query";
    internal const string MalformedBodyType = ProblemTypes.Prefix + "malformed-body";
    internal const string UnsupportedMediaType = ProblemTypes.Prefix + "unsupported-media-type";
    internal const string MethodNotAllowedType = ProblemTypes.Prefix + "method-not-allowed";

    /// <summary>404: the invoice does not exist for this caller (another caller's invoice gets the same answer).</summary>
    internal static Problem InvoiceNotFound(Guid id) =>
        new(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Invoice not found", $"There is no invoice {id}.");

    /// <summary>404: no operation lives at this path.</summary>
    internal static Problem NoSuchRoute(HttpRequest request) =>
        new(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", $"No invoice operation answers {request.Method} {request.Path}.");

    /// <summary>405: the path exists, the method does not (the Allow header lists the ones that do).</summary>
    internal static Problem MethodNotAllowed(HttpRequest request, string allowed) =>
        new(StatusCodes.Status405MethodNotAllowed, MethodNotAllowedType, "Method not allowed",
            $"{request.Path} answers {allowed}, not {request.Method}.");

    /// <summary>400: a query parameter is malformed or out of range; <paramref name="errors"/> names each one.</summary>
    internal static Problem BadQuery(IReadOnlyDictionary<string, IReadOnlyList<string>> errors) =>
        new(StatusCodes.Status400BadRequest, BadQueryType, "Invalid query parameters",
            "One or more query parameters are invalid; see errors.") { Errors = errors };

    /// <summary>400: the body is not the JSON (or CSV) the operation reads, or a value has the wrong type.</summary>
    internal static Problem MalformedBody(string detail, IReadOnlyDictionary<string, IReadOnlyList<string>>? errors = null) =>
        new(StatusCodes.Status400BadRequest, MalformedBodyType, "Malformed request body", detail) { Errors = errors };

    /// <summary>415: the body's Content-Type is not one the operation reads.</summary>
    internal static Problem UnsupportedContentType(string? sent, string accepted) =>
        new(StatusCodes.Status415UnsupportedMediaType, UnsupportedMediaType, "Unsupported media type",
            $"The body must be {accepted}; it was {(string.IsNullOrEmpty(sent) ? "sent without a Content-Type" : sent)}.");

    /// <summary>422: well-formed input that breaks the invoice rules; <paramref name="errors"/> names each field.</summary>
    internal static Problem Validation(IReadOnlyDictionary<string, IReadOnlyList<string>> errors, string detail = "One or more fields are invalid; see errors.") =>
        new(StatusCodes.Status422UnprocessableEntity, ValidationType, "Invalid invoice", detail) { Errors = errors };
}
