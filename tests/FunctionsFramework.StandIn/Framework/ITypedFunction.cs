namespace Google.Cloud.Functions.Framework;

/// <summary>A function from a request object, read from the HTTP request, to a response object, written to the HTTP response.</summary>
public interface ITypedFunction<TRequest, TResponse>
{
    /// <summary>Handles <paramref name="request"/> and returns the response to write.</summary>
    Task<TResponse> HandleAsync(TRequest request, CancellationToken cancellationToken);
}
