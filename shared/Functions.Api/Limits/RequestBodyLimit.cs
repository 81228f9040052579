using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace InvoiceApi.Functions.Api.Limits;

/// <summary>
/// The size a request body may have. Every request gets <see cref="DefaultBytes"/>; an operation that accepts more
/// (an import) raises it for its own request with <see cref="Allow"/> before reading the body. A larger body is a 413 problem.
/// </summary>
public static class RequestBodyLimit
{
    /// <summary>Largest body of an ordinary request: 1 MiB.</summary>
    public const long DefaultBytes = 1024 * 1024;

    /// <summary>Largest body of an import: 10 MiB.</summary>
    public const long ImportBytes = 10 * 1024 * 1024;

    /// <summary>Lets this request's body be up to <paramref name="bytes"/> long.</summary>
    /// <param name="context">The request, whose body has not been read yet.</param>
    /// <param name="bytes">The new limit, in bytes.</param>
    /// <exception cref="InvalidOperationException">The body is already being read, or the server cannot change the limit.</exception>
    public static void Allow(HttpContext context, long bytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>()
            ?? throw new InvalidOperationException("This server does not let a request change its body limit.");
        if (feature.IsReadOnly)
        {
            throw new InvalidOperationException("The body limit must be raised before the request body is read.");
        }
        feature.MaxRequestBodySize = bytes;
    }

    /// <summary>The limit that applies to this request, or null when the server sets none.</summary>
    public static long? Current(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
    }
}
