using InvoiceApi.Functions.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Invoices.Operations;

/// <summary>Placeholder until the operation is built: answers 501 problem+json.</summary>
internal sealed class ServeOpenApi : IInvoiceOperation
{
    public Task HandleAsync(HttpContext context, Guid id) =>
        ProblemWriter.WriteAsync(context, new Problem(StatusCodes.Status501NotImplemented, ProblemTypes.Prefix + "not-implemented",
            "Not implemented", "ServeOpenApi is not built yet."));
}
