namespace InvoiceApi.LocalPostgres;

/// <summary>pg_ctl's stop modes that we use.</summary>
internal enum ShutdownMode
{
    /// <summary>Disconnects clients, checkpoints and exits cleanly.</summary>
    Fast,

    /// <summary>Exits at once without a checkpoint: the next start runs crash recovery, like after a crash.</summary>
    Immediate,
}
