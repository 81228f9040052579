using Microsoft.Extensions.Logging.Console;

namespace InvoiceApi.Functions.Hosting.Logging;

/// <summary>Options of <see cref="CloudLoggingJsonFormatter"/>.</summary>
public sealed class CloudLoggingFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The Google Cloud project; without it lines carry no trace field (Cloud Logging needs the full resource name).</summary>
    public string? ProjectId { get; set; }
}
