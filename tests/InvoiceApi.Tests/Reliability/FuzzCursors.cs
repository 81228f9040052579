using Invoices;
using Microsoft.Extensions.Configuration;

namespace InvoiceApi.Tests.Reliability;

/// <summary>Forges list cursors with the built-in key, as anyone who reads the source can when CURSOR_SIGNING_KEY is unset.</summary>
internal static class FuzzCursors
{
    private static readonly InvoiceCursor BuiltIn = InvoiceCursor.From(new ConfigurationBuilder().Build());

    /// <summary>A cursor that passes the tag and fingerprint checks of a list with only <c>sort</c> and <c>order</c> set.</summary>
    internal static string Forge(string sort, bool descending, string key, Guid id) =>
        BuiltIn.Encode(new InvoiceFilter().Fingerprint(new InvoiceSort(InvoiceSort.Names[sort], descending)), new CursorPosition(key, id));
}
