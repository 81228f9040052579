using CloudNative.CloudEvents;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Google.Cloud.Functions.Framework;

/// <summary>Serves an <see cref="ICloudEventFunction{TData}"/> as an HTTP function, decoding the event's data first.</summary>
public sealed partial class CloudEventAdapter<TData> : IHttpFunction where TData : class
{
    private readonly ICloudEventFunction<TData> _function;
    private readonly CloudEventFormatter _formatter;
    private readonly ILogger _logger;

    /// <summary>Chosen by dependency injection when no formatter is registered, to say so instead of failing obscurely.</summary>
    [Obsolete("This constructor only exists to enable a clear error message. It always throws an exception.", error: true)]
    public CloudEventAdapter(ICloudEventFunction<TData> function, ILogger<CloudEventAdapter<TData>> logger) =>
        throw new InvalidOperationException(
            $"No CloudEventFormatter is registered for {typeof(TData).FullName}: mark the type with CloudEventFormatterAttribute or register one in a startup.");

    /// <summary>Adapts <paramref name="function"/>, decoding events with <paramref name="formatter"/>.</summary>
    public CloudEventAdapter(ICloudEventFunction<TData> function, CloudEventFormatter formatter, ILogger<CloudEventAdapter<TData>> logger)
    {
        _function = function ?? throw new ArgumentNullException(nameof(function));
        _formatter = formatter ?? throw new ArgumentNullException(nameof(formatter));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        CloudEvent cloudEvent;
        TData data;
        try
        {
            cloudEvent = await CloudEventRequest.ReadAsync(context.Request, _formatter);
            data = cloudEvent.Data as TData ?? throw new FormatException($"The event's data is not a {typeof(TData).Name}.");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or IOException)
        {
            LogNotACloudEvent(_logger, e.Message);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        await _function.HandleAsync(cloudEvent, data, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogNotACloudEvent(ILogger logger, string reason);
}
