using InvoiceApi.Functions.Framework;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace InvoiceApi.Functions.Hosting;

/// <summary>The end of the pipeline: hands the request to the function instance of this request's scope.</summary>
internal static class FunctionInvoker
{
    public static Task InvokeAsync(HttpContext context) =>
        context.RequestServices.GetRequiredService<IHttpFunction>().HandleAsync(context);
}
