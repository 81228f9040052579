using Microsoft.AspNetCore.Http;

namespace Invoices.Routing;

/// <summary>
/// Maps method and path to an operation, by hand: a handful of fixed shapes, no reflection (Native AOT), and an id
/// that is not a UUID simply names no invoice (404), as a missing one does.
/// </summary>
internal static class InvoiceRouter
{
    internal static RouteMatch Match(string method, PathString path)
    {
        var segments = (path.Value ?? "/").Trim('/').Split('/');
        return segments switch
        {
            [""] => ByMethod(method, "GET, POST", (HttpMethods.Get, InvoiceRoute.List), (HttpMethods.Post, InvoiceRoute.Create)),
            ["export.csv"] => ByMethod(method, "GET", (HttpMethods.Get, InvoiceRoute.Export)),
            ["import"] => ByMethod(method, "POST", (HttpMethods.Post, InvoiceRoute.Import)),
            ["openapi.json"] => ByMethod(method, "GET", (HttpMethods.Get, InvoiceRoute.OpenApi)),
            [var id] when Guid.TryParseExact(id, "D", out var invoiceId) => ByMethod(method, "GET, PUT, PATCH, DELETE",
                (HttpMethods.Get, InvoiceRoute.Get), (HttpMethods.Put, InvoiceRoute.Replace),
                (HttpMethods.Patch, InvoiceRoute.Patch), (HttpMethods.Delete, InvoiceRoute.Archive)) with { Id = invoiceId },
            [var id, "restore"] when Guid.TryParseExact(id, "D", out var invoiceId) =>
                ByMethod(method, "POST", (HttpMethods.Post, InvoiceRoute.Restore)) with { Id = invoiceId },
            _ => new RouteMatch(InvoiceRoute.None, Guid.Empty, ""),
        };
    }

    private static RouteMatch ByMethod(string method, string allowed, params (string Method, InvoiceRoute Route)[] routes)
    {
        foreach (var (candidate, route) in routes)
        {
            if (HttpMethods.Equals(method, candidate) || (route is InvoiceRoute.Get or InvoiceRoute.List or InvoiceRoute.Export or InvoiceRoute.OpenApi
                && HttpMethods.IsHead(method) && HttpMethods.IsGet(candidate)))
            {
                return new RouteMatch(route, Guid.Empty, allowed);
            }
        }
        return new RouteMatch(InvoiceRoute.WrongMethod, Guid.Empty, allowed);
    }
}
