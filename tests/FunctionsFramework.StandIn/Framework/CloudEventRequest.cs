using CloudNative.CloudEvents;
using Microsoft.AspNetCore.Http;

namespace Google.Cloud.Functions.Framework;

/// <summary>
/// Reads a CloudEvent from an HTTP request in structured mode (<c>application/cloudevents+json</c>) or binary mode
/// (<c>ce-*</c> headers). Google's framework also converts legacy Cloud Functions events; this stand-in refuses them.
/// </summary>
internal static class CloudEventRequest
{
    private const string HeaderPrefix = "ce-";

    public static async Task<CloudEvent> ReadAsync(HttpRequest request, CloudEventFormatter formatter)
    {
        var contentType = request.ContentType;
        if (contentType is not null && contentType.StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase))
        {
            return await formatter.DecodeStructuredModeMessageAsync(request.Body, new System.Net.Mime.ContentType(contentType), extensionAttributes: null);
        }
        var specVersionId = request.Headers[HeaderPrefix + "specversion"].ToString();
        var specVersion = CloudEventsSpecVersion.FromVersionId(specVersionId)
            ?? throw new ArgumentException($"The request is not a CloudEvent (ce-specversion '{specVersionId}').", nameof(request));
        var cloudEvent = new CloudEvent(specVersion);
        foreach (var (name, value) in request.Headers)
        {
            if (name.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase) && !name.Equals(HeaderPrefix + "specversion", StringComparison.OrdinalIgnoreCase))
            {
                cloudEvent.SetAttributeFromString(name[HeaderPrefix.Length..].ToLowerInvariant(), value.ToString());
            }
        }
        cloudEvent.DataContentType = contentType;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        formatter.DecodeBinaryModeEventData(body.ToArray(), cloudEvent);
        return cloudEvent;
    }
}
