using System.Globalization;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace InvoiceApi.Functions.Api.Browser;

/// <summary>
/// CORS for the origins in <see cref="CorsSettings"/>: answers preflights before authentication (a preflight carries no
/// token) and marks actual responses to allowed origins so the browser lets the page read them.
/// </summary>
internal sealed class CorsMiddleware(RequestDelegate next, CorsSettings settings)
{
    public const string AllowedMethods = "GET, POST, PUT, PATCH, DELETE";
    public const string AllowedHeaders = "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key";
    public const string ExposedHeaders = "ETag, Location, Link, Retry-After, Idempotency-Replayed";

    /// <summary>How long a browser may reuse a preflight answer; also how long a removed origin keeps working in open tabs.</summary>
    public static readonly TimeSpan PreflightMaxAge = TimeSpan.FromMinutes(10);

    public Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin;
        if (IsPreflight(context.Request, origin))
        {
            return AnswerPreflightAsync(context, origin.ToString());
        }
        if (settings.Enabled)
        {
            var response = context.Response;
            // Headers are set as the response starts, so a problem written after an exception carries them too.
            response.OnStarting(() =>
            {
                MarkActualResponse(response, origin);
                return Task.CompletedTask;
            });
        }
        return next(context);
    }

    private static bool IsPreflight(HttpRequest request, StringValues origin) =>
        HttpMethods.IsOptions(request.Method) && !StringValues.IsNullOrEmpty(origin)
        && !StringValues.IsNullOrEmpty(request.Headers.AccessControlRequestMethod);

    private Task AnswerPreflightAsync(HttpContext context, string origin)
    {
        if (!settings.Allows(origin))
        {
            return ProblemWriter.WriteAsync(context, new Problem(
                StatusCodes.Status403Forbidden, ProblemTypes.OriginNotAllowed, "Origin not allowed",
                settings.Enabled
                    ? $"Browser pages from {origin} may not call this function; its {CorsSettings.OriginsVariable} does not list that origin."
                    : $"This function accepts no browser calls from other origins: {CorsSettings.OriginsVariable} is not set."));
        }
        var headers = context.Response.Headers;
        AllowOrigin(headers, origin);
        if (!settings.AnyOrigin)
        {
            headers.Vary = "Origin";
        }
        headers.AccessControlAllowMethods = AllowedMethods;
        headers.AccessControlAllowHeaders = AllowedHeaders;
        headers.AccessControlMaxAge = ((int)PreflightMaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private void MarkActualResponse(HttpResponse response, StringValues origin)
    {
        if (!settings.AnyOrigin)
        {
            // The answer depends on Origin, so a shared cache must not hand one origin's answer to another.
            response.Headers.Append("Vary", "Origin");
        }
        if (StringValues.IsNullOrEmpty(origin) || !settings.Allows(origin.ToString()))
        {
            return;
        }
        AllowOrigin(response.Headers, origin.ToString());
        response.Headers.AccessControlExposeHeaders = ExposedHeaders;
    }

    private void AllowOrigin(IHeaderDictionary headers, string origin)
    {
        if (settings.AnyOrigin)
        {
            headers.AccessControlAllowOrigin = "*";
            return;
        }
        headers.AccessControlAllowOrigin = origin;
        if (settings.AllowCredentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }
    }
}
