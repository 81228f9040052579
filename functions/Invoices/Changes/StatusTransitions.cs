namespace Invoices;

/// <summary>docs/api.md: pending -> paid, pending -> void, paid -> pending; void is final; staying put is no change.</summary>
internal static class StatusTransitions
{
    internal static bool IsAllowed(string from, string to) => (from, to) switch
    {
        _ when from == to => true,
        ("pending", "paid") or ("pending", "void") or ("paid", "pending") => true,
        _ => false,
    };
}
