using CloudNative.CloudEvents;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Google.Cloud.Functions.Framework;

/// <summary>Serves an <see cref="ICloudEventFunction"/> as an HTTP function: a request that is not a CloudEvent is a 400.</summary>
public sealed partial class CloudEventAdapter : IHttpFunction
{
    private readonly ICloudEventFunction _function;
    private readonly CloudEventFormatter _formatter;
    private readonly ILogger _logger;

    /// <summary>Adapts <paramref name="function"/>, decoding events with <paramref name="formatter"/>.</summary>
    public CloudEventAdapter(ICloudEventFunction function, CloudEventFormatter formatter, ILogger<CloudEventAdapter> logger)
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
        try
        {
            cloudEvent = await CloudEventRequest.ReadAsync(context.Request, _formatter);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or IOException)
        {
            LogNotACloudEvent(_logger, e.Message);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        await _function.HandleAsync(cloudEvent, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogNotACloudEvent(ILogger logger, string reason);
}
