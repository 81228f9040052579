namespace Google.Cloud.Functions.Framework.GcfEvents;

/// <summary>The resource of a legacy (pre-CloudEvents) Cloud Functions event.</summary>
public sealed class Resource
{
    /// <summary>The service that emitted the event.</summary>
    public string? Service { get; set; }

    /// <summary>The resource's name.</summary>
    public string? Name { get; set; }

    /// <summary>The resource's type.</summary>
    public string? Type { get; set; }
}
