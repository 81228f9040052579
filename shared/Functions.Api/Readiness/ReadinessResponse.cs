using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Functions.Api.Readiness;

/// <summary>
/// <c>GET /healthz</c> (alive, runs no check) and <c>GET /readyz</c> (every registered health check passes within 2 s),
/// served by ASP.NET Core's health checks with this API's bodies: <c>{"status":"ok"}</c>, or a 503 problem whose
/// <c>errors</c> hold each failed check's messages (its result's <c>problems</c> data, else its description).
/// </summary>
internal static class ReadinessResponse
{
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";

    /// <summary>The key of a failed check's data that holds its messages, a list of strings.</summary>
    public const string ProblemsKey = "problems";

    public static bool IsHealthPath(PathString path) => path.Equals(HealthPath) || path.Equals(ReadyPath);

    public static void Map(IApplicationBuilder app)
    {
        // Caching is left to the writer: the middleware's own no-cache, Pragma and Expires headers are not this API's.
        app.UseHealthChecks(HealthPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync, AllowCachingResponses = true });
        app.UseHealthChecks(ReadyPath, new HealthCheckOptions { ResponseWriter = WriteAsync, AllowCachingResponses = true });
    }

    /// <summary>The 405 for a health path asked with another method than GET or HEAD.</summary>
    public static Task WrongMethodAsync(HttpContext context)
    {
        context.Response.Headers.Allow = "GET, HEAD";
        return ProblemWriter.WriteAsync(context, new Problem(
            StatusCodes.Status405MethodNotAllowed, ProblemTypes.BadRequest, "Method not allowed", $"{context.Request.Path} answers GET only."));
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var failures = report.Entries
            .Where(entry => entry.Value.Status != HealthStatus.Healthy)
            .ToDictionary(entry => entry.Key, entry => Problems(entry.Value));
        if (failures.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsync("""{"status":"ok"}""", context.RequestAborted);
        }
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReadinessResponse));
        var detail = string.Join(" ", failures.SelectMany(failure => failure.Value));
        ApiLog.NotReady(logger, detail);
        return ProblemWriter.WriteAsync(context, new Problem(
            StatusCodes.Status503ServiceUnavailable, ProblemTypes.NotReady, "Not ready", detail) { Errors = failures });
    }

    private static IReadOnlyList<string> Problems(HealthReportEntry entry) =>
        entry.Data.TryGetValue(ProblemsKey, out var problems) && problems is IReadOnlyList<string> { Count: > 0 } list
            ? list
            : [entry.Description ?? "Not ready."];
}
