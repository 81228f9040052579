using Microsoft.AspNetCore.Http;

namespace Google.Cloud.Functions.Framework;

/// <summary>Writes a typed function's response object to the HTTP response.</summary>
public interface IHttpResponseWriter<TResponse>
{
    /// <summary>Writes <paramref name="functionResponse"/>.</summary>
    Task WriteResponseAsync(HttpResponse httpResponse, TResponse functionResponse);
}
