namespace InvoiceApi.Tools.Emulator;

/// <summary>What a start was asked for on the command line (<see cref="EmulatorCommand"/> reads it).</summary>
/// <param name="Fresh">Delete the local database first.</param>
/// <param name="InvoicesPort">The Invoices function's port.</param>
/// <param name="StatsPort">The Stats function's port.</param>
/// <param name="Seed">How many demo invoices to load; null when not asked.</param>
/// <param name="StateFolder">Where the database, the signing key and the passwords live; null means <c>.local/</c> in the clone.</param>
/// <param name="DashboardPort">The dashboard page's port.</param>
internal sealed record EmulatorOptions(bool Fresh, int InvoicesPort, int StatsPort, int? Seed, string? StateFolder, int DashboardPort)
{
    internal IReadOnlyList<LocalFunction> Functions =>
    [
        new("Invoices", "invoices", InvoicesPort, "--invoices-port"),
        new("Stats", "stats", StatsPort, "--stats-port"),
    ];
}
