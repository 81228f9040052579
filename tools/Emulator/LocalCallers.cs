namespace InvoiceApi.Tools.Emulator;

/// <summary>The two demo callers the printed table holds tokens for and <c>--seed</c> loads invoices for.</summary>
internal static class LocalCallers
{
    internal const string First = "demo-user-1";
    internal const string Second = "demo-user-2";

    /// <summary>How long the printed tokens (and, by default, the <c>token</c> verb's) stay valid.</summary>
    internal const int TokenHours = 12;

    internal static IReadOnlyList<string> All => [First, Second];
}
