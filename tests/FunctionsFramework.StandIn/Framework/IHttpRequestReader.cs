using Microsoft.AspNetCore.Http;

namespace Google.Cloud.Functions.Framework;

/// <summary>Reads a typed function's request object from the HTTP request.</summary>
public interface IHttpRequestReader<TRequest>
{
    /// <summary>Reads the request object.</summary>
    Task<TRequest> ReadRequestAsync(HttpRequest httpRequest);
}
