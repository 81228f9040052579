using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Framework;

/// <summary>
/// A function that handles HTTP requests. Same contract as
/// <c>Google.Cloud.Functions.Framework.IHttpFunction</c>: one instance per request, built by dependency injection.
/// </summary>
public interface IHttpFunction
{
    /// <summary>Handles one request.</summary>
    /// <param name="context">The request and its response.</param>
    Task HandleAsync(HttpContext context);
}
