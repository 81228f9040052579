using Microsoft.AspNetCore.Http;

namespace Stats.Operations;

/// <summary>One operation of the dashboard API; the router has already matched its method and path.</summary>
internal interface IStatsOperation
{
    /// <param name="context">The request, with its authenticated caller (<c>context.GetCaller()</c>) except on open paths.</param>
    Task HandleAsync(HttpContext context);
}
