using System.Globalization;
using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Api.Limits;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Tests.Hosting.TestFunctions;

/// <summary>
/// Reads the whole body and answers its length. <c>POST /import</c> first raises the limit to the import size, as the
/// Invoices import does; <c>POST /late</c> tries to raise it after reading, which must fail.
/// </summary>
public sealed class BodySizeFunction : IHttpFunction
{
    public async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path.Equals("/import"))
        {
            RequestBodyLimit.Allow(context, RequestBodyLimit.ImportBytes);
        }
        var length = await CountAsync(context.Request.Body, context.RequestAborted);
        if (context.Request.Path.Equals("/late"))
        {
            await context.Response.WriteAsync(TryRaise(context) ? "allowed" : "refused", context.RequestAborted);
            return;
        }
        await context.Response.WriteAsync(length.ToString(CultureInfo.InvariantCulture), context.RequestAborted);
    }

    private static bool TryRaise(HttpContext context)
    {
        try
        {
            RequestBodyLimit.Allow(context, RequestBodyLimit.ImportBytes);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task<long> CountAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }
        return total;
    }
}
