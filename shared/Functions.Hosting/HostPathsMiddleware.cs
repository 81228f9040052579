using InvoiceApi.Functions.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Hosting;

/// <summary>Answers the paths the host owns, before any function code runs: robots/favicon (404, as the framework does) and health.</summary>
internal sealed class HostPathsMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Equals("/robots.txt") || path.Equals("/favicon.ico"))
        {
            return ProblemWriter.WriteAsync(context, new Problem(
                StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", $"{path} is not served."));
        }
        return HealthEndpoints.IsHealthPath(path) ? HealthEndpoints.HandleAsync(context) : next(context);
    }
}
