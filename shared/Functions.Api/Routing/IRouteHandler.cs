using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api.Routing;

/// <summary>
/// One operation of a function: the <see cref="RouteTable"/> has matched its method and path. It reads the request,
/// runs its SQL and returns the answer to write.
/// </summary>
public interface IRouteHandler
{
    /// <summary>Handles one request.</summary>
    /// <param name="context">The request, with its authenticated caller except on open paths.</param>
    /// <param name="route">What the path held (the invoice id of <c>/{id}</c>).</param>
    /// <returns>The answer; a handler that streams its body itself returns <see cref="Results.Empty"/>.</returns>
    Task<IResult> HandleAsync(HttpContext context, RouteMatch route);
}
