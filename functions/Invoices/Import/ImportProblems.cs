using System.Globalization;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices.Import;

/// <summary>The problems particular to imports.</summary>
internal static class ImportProblems
{
    internal const string TooManyRowsType = ProblemTypes.Prefix + "too-many-rows";

    /// <summary>413: more rows than one import takes; the client should split the batch.</summary>
    internal static Problem TooManyRows(int rows) =>
        new(StatusCodes.Status413PayloadTooLarge, TooManyRowsType, "Too many invoices",
            string.Create(CultureInfo.InvariantCulture, $"An import takes at most {InvoiceImportReader.MaxRows:N0} invoices; this one has {rows:N0}. Split it into several requests."));
}
