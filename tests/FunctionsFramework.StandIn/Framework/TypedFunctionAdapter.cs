using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Google.Cloud.Functions.Framework;

/// <summary>Serves an <see cref="ITypedFunction{TRequest, TResponse}"/> as an HTTP function: an unreadable request is a 400.</summary>
public sealed partial class TypedFunctionAdapter<TRequest, TResult> : IHttpFunction
{
    private readonly ITypedFunction<TRequest, TResult> _function;
    private readonly IHttpRequestReader<TRequest> _requestReader;
    private readonly IHttpResponseWriter<TResult> _responseWriter;
    private readonly ILogger _logger;

    /// <summary>Adapts <paramref name="function"/> with the given reader and writer.</summary>
    public TypedFunctionAdapter(
        ITypedFunction<TRequest, TResult> function,
        IHttpRequestReader<TRequest> requestReader,
        IHttpResponseWriter<TResult> responseWriter,
        ILogger<TypedFunctionAdapter<TRequest, TResult>> logger)
    {
        _function = function ?? throw new ArgumentNullException(nameof(function));
        _requestReader = requestReader ?? throw new ArgumentNullException(nameof(requestReader));
        _responseWriter = responseWriter ?? throw new ArgumentNullException(nameof(responseWriter));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        TRequest request;
        try
        {
            request = await _requestReader.ReadRequestAsync(context.Request);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailure(_logger, e, "read the request");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var result = await _function.HandleAsync(request, context.RequestAborted);
        try
        {
            await _responseWriter.WriteResponseAsync(context.Response, result);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailure(_logger, e, "write the response");
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not {Step}")]
    private static partial void LogFailure(ILogger logger, Exception exception, string step);
}
