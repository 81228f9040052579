using Invoices.Model;

namespace Invoices.Input;

/// <summary>What <see cref="InvoiceDraftReader"/> made of one JSON object: a draft, or the fields it could not read.</summary>
/// <param name="Draft">The typed fields; null when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Messages per JSON field name (wrong JSON type, bad date, unreadable number, unknown field).</param>
internal sealed record InvoiceDraftReadResult(InvoiceDraft? Draft, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    internal bool Succeeded => Draft is not null;
}
