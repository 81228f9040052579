using InvoiceApi.Functions.Framework;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Tests.Hosting.TestFunctions;

/// <summary>Takes a known time before it answers, to check the time the host reports.</summary>
public sealed class SlowFunction : IHttpFunction
{
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(120);

    public async Task HandleAsync(HttpContext context)
    {
        await Task.Delay(Delay, context.RequestAborted);
        await context.Response.WriteAsync("done", context.RequestAborted);
    }
}
