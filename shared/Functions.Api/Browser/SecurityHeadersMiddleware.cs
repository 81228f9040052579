using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api.Browser;

/// <summary>
/// Headers no function may forget: <c>X-Content-Type-Options: nosniff</c> on every response, and <c>Cache-Control: no-store</c>
/// on every response that carries caller data (an authenticated caller's responses and every error).
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Set as the response starts: by then the caller is known and a problem written after an exception is covered too.
        context.Response.OnStarting(() =>
        {
            Apply(context);
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static void Apply(HttpContext context)
    {
        var response = context.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        if (CarriesCallerData(context))
        {
            response.Headers.CacheControl = "no-store";
        }
    }

    private static bool CarriesCallerData(HttpContext context) =>
        context.Features.Get<Caller>() is not null
        || context.Response.StatusCode >= StatusCodes.Status400BadRequest
        || (context.Response.ContentType?.StartsWith(ProblemWriter.ContentType, StringComparison.OrdinalIgnoreCase) ?? false);
}
