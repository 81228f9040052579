using System.Globalization;
using InvoiceApi.Functions.Api.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Functions.Api.Problems;

/// <summary>
/// Turns every exception escaping the function into a problem+json response (the framework sends an empty 500).
/// The client sees no stack trace, SQL or connection string; the log gets the whole exception.
/// </summary>
/// <remarks>
/// Hand-written rather than <c>UseExceptionHandler</c> with an <c>IExceptionHandler</c>: that middleware rethrows once the
/// response has started (no line of ours, no clean abort), answers a client's abort with 499 and its own log line, and
/// adds Pragma and Expires headers to every problem.
/// </remarks>
internal sealed class UnhandledExceptionMiddleware(RequestDelegate next, IEnumerable<IProblemMapper> mappers, ILogger<UnhandledExceptionMiddleware> logger)
{
    private readonly IProblemMapper[] _mappers = mappers.ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
            ApiLog.ClientAborted(logger, context.Request.Method, context.Request.Path);
        }
        catch (Exception exception)
        {
            await AnswerAsync(context, exception);
        }
    }

    private async Task AnswerAsync(HttpContext context, Exception exception)
    {
        var problem = ProblemFor(context, exception);
        if (problem.Status >= 500)
        {
            ApiLog.RequestFailed(logger, exception, context.Request.Method, context.Request.Path, problem.Status, context.TraceIdentifier);
        }
        else
        {
            ApiLog.RequestRejected(logger, context.Request.Method, context.Request.Path, problem.Status, problem.Detail);
        }
        if (context.Response.HasStarted)
        {
            // Part of a body is already on the wire; cutting the connection is the only honest signal left.
            context.Abort();
            return;
        }
        context.Response.Clear();
        await ProblemWriter.WriteAsync(context, problem);
    }

    private Problem ProblemFor(HttpContext context, Exception exception)
    {
        if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return BodyTooLarge(context);
        }
        if (exception is BadHttpRequestException badRequest)
        {
            return new Problem(badRequest.StatusCode, ProblemTypes.BadRequest, "Bad request", badRequest.Message);
        }
        foreach (var mapper in _mappers)
        {
            if (mapper.TryMap(exception) is { } mapped)
            {
                return mapped;
            }
        }
        return new Problem(
            StatusCodes.Status500InternalServerError,
            ProblemTypes.InternalError,
            "Internal error",
            $"The function failed unexpectedly. The error was logged with request id {context.TraceIdentifier}; "
            + "retrying may help, and if it keeps failing, report that id.");
    }

    private static Problem BodyTooLarge(HttpContext context)
    {
        var limit = RequestBodyLimit.Current(context);
        return new Problem(
            StatusCodes.Status413PayloadTooLarge,
            ProblemTypes.PayloadTooLarge,
            "Request body too large",
            limit is { } bytes
                ? string.Create(CultureInfo.InvariantCulture, $"This operation accepts a body of at most {bytes:N0} bytes ({bytes / 1024.0 / 1024.0:0.##} MiB).")
                : "The request body is larger than this operation accepts.");
    }
}
