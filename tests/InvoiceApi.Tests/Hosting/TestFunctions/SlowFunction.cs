using System.Diagnostics;
using System.Globalization;
using InvoiceApi.Functions.Framework;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Tests.Hosting.TestFunctions;

/// <summary>
/// Takes a known time before it answers and writes, as its body, how many milliseconds it took by its own stopwatch,
/// to check the time the host reports against. (A timer may fire a few milliseconds before the delay it was given,
/// because its clock is coarser than the stopwatch's, so the delay itself is no lower bound.)
/// </summary>
public sealed class SlowFunction : IHttpFunction
{
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(120);

    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(Delay, context.RequestAborted);
        var took = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await context.Response.WriteAsync(took.ToString("R", CultureInfo.InvariantCulture), context.RequestAborted);
    }
}
