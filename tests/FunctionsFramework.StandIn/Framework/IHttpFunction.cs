using Microsoft.AspNetCore.Http;

namespace Google.Cloud.Functions.Framework;

/// <summary>A function that answers an HTTP request by writing <see cref="HttpContext.Response"/>.</summary>
public interface IHttpFunction
{
    /// <summary>Handles the request in <paramref name="context"/>.</summary>
    Task HandleAsync(HttpContext context);
}
