namespace InvoiceApi.Data.Schema;

/// <summary>A trigger as the catalogs describe it.</summary>
internal sealed class LiveTrigger
{
    public required string TableName { get; init; }

    public required string TriggerName { get; init; }

    /// <summary><c>pg_trigger.tgenabled</c>: O (fires), A (always fires), R (only as a replica), D (disabled).</summary>
    public required string Enabled { get; init; }
}
