using InvoiceApi.Functions.Hosting.Problems;
using InvoiceApi.Functions.Hosting.Readiness;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Functions.Hosting;

/// <summary><c>GET /healthz</c> (alive, touches nothing) and <c>GET /readyz</c> (every readiness check passes within 2 s).</summary>
internal static class HealthEndpoints
{
    public static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(2);

    public static bool IsHealthPath(PathString path) => path.Equals("/healthz") || path.Equals("/readyz");

    public static Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            return ProblemWriter.WriteAsync(context, new Problem(
                StatusCodes.Status405MethodNotAllowed, ProblemTypes.BadRequest, "Method not allowed", $"{context.Request.Path} answers GET only."));
        }
        return context.Request.Path.Equals("/healthz") ? WriteOkAsync(context) : ReadyAsync(context);
    }

    private static async Task ReadyAsync(HttpContext context)
    {
        var checks = context.RequestServices.GetServices<IReadinessCheck>().ToList();
        var results = await Task.WhenAll(checks.Select(check => RunAsync(check, context.RequestAborted)));
        var failures = checks.Zip(results)
            .Where(pair => !pair.Second.IsReady)
            .ToDictionary(pair => pair.First.Name, pair => pair.Second.Problems);
        if (failures.Count == 0)
        {
            await WriteOkAsync(context);
            return;
        }
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HealthEndpoints));
        var detail = string.Join(" ", failures.SelectMany(failure => failure.Value));
        HostLog.NotReady(logger, detail);
        await ProblemWriter.WriteAsync(context, new Problem(
            StatusCodes.Status503ServiceUnavailable, ProblemTypes.NotReady, "Not ready", detail) { Errors = failures });
    }

    private static async Task<ReadinessResult> RunAsync(IReadinessCheck check, CancellationToken requestAborted)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        deadline.CancelAfter(ReadinessTimeout);
        var running = GuardedAsync(check, deadline.Token);
        // Drivers do not always honour cancellation while connecting, so the deadline is enforced here, not trusted to the check.
        var finished = await Task.WhenAny(running, Task.Delay(ReadinessTimeout, requestAborted));
        return finished == running
            ? await running
            : ReadinessResult.NotReady($"No answer within {ReadinessTimeout.TotalSeconds:0} s from {check.Target}.");
    }

    private static async Task<ReadinessResult> GuardedAsync(IReadinessCheck check, CancellationToken deadline)
    {
        try
        {
            return await check.CheckAsync(deadline);
        }
        catch (Exception) when (deadline.IsCancellationRequested)
        {
            return ReadinessResult.NotReady($"No answer within {ReadinessTimeout.TotalSeconds:0} s from {check.Target}.");
        }
        catch (Exception exception)
        {
            // A check that throws is a failed check, never a 500 from the probe.
            return ReadinessResult.NotReady($"{check.Name}: {Logging.SecretRedactor.Redact(exception.Message)}");
        }
    }

    private static Task WriteOkAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync("""{"status":"ok"}""", context.RequestAborted);
    }
}
