using CloudNative.CloudEvents;

namespace Google.Cloud.Functions.Framework;

/// <summary>A function that takes a CloudEvent as it arrived, without decoding its data.</summary>
public interface ICloudEventFunction
{
    /// <summary>Handles <paramref name="cloudEvent"/>; completing without an exception is success.</summary>
    Task HandleAsync(CloudEvent cloudEvent, CancellationToken cancellationToken);
}

/// <summary>A function that takes a CloudEvent whose data is decoded to <typeparamref name="TData"/> first.</summary>
/// <typeparam name="TData">The data type, which names its formatter with <see cref="CloudEventFormatterAttribute"/>.</typeparam>
public interface ICloudEventFunction<TData> where TData : class
{
    /// <summary>Handles <paramref name="cloudEvent"/> and its decoded <paramref name="data"/>.</summary>
    Task HandleAsync(CloudEvent cloudEvent, TData data, CancellationToken cancellationToken);
}
