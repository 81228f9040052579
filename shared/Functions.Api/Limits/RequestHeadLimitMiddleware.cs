using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api.Limits;

/// <summary>Answers 414 or 431 problem+json when a request's target or headers exceed <see cref="RequestHeadLimit"/>.</summary>
internal sealed class RequestHeadLimitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context) =>
        RequestHeadLimit.Check(context) is { } problem ? ProblemWriter.WriteAsync(context, problem) : next(context);
}
