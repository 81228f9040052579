using InvoiceApi.Functions.Api.Problems;
using InvoiceApi.Functions.Api.Readiness;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api;

/// <summary>
/// Answers <c>/robots.txt</c> and <c>/favicon.ico</c> with a 404 problem before the caller gate (the framework's own
/// 404 comes after every startup's middleware, where a request without a token would already have had its 401), and
/// a health path asked with a method other than GET or HEAD with a 405.
/// </summary>
internal sealed class ReservedPathsMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Equals("/robots.txt") || path.Equals("/favicon.ico"))
        {
            return ProblemWriter.WriteAsync(context, new Problem(
                StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", $"{path} is not served."));
        }
        if (ReadinessResponse.IsHealthPath(path) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return ReadinessResponse.WrongMethodAsync(context);
        }
        return next(context);
    }
}
