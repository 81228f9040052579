using System.Globalization;
using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Functions.Api.Database;
using InvoiceApi.Functions.Framework;
using InvoiceApi.Functions.Hosting;
using InvoiceApi.Functions.Api.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InvoiceApi.Tests.Hosting.TestFunctions;

/// <summary>Wires the real database into <see cref="CallerInvoiceCountFunction"/>.</summary>
public sealed class CallerInvoiceCountStartup : FunctionsStartup
{
    public override void ConfigureServices(WebHostBuilderContext context, IServiceCollection services) =>
        services.AddInvoiceDatabase(context.Configuration, applicationName: "count-test");
}

/// <summary>
/// Counts the caller's invoices through the real data layer, so a refused login fails inside a request.
/// With <c>?careless=1</c> it fails the way a sloppy bug would: an exception quoting the Authorization header.
/// </summary>
[FunctionsStartup(typeof(CallerInvoiceCountStartup))]
public sealed class CallerInvoiceCountFunction(ReadOnlyQuery query) : IHttpFunction
{
    public async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Query.ContainsKey("careless"))
        {
            throw new InvalidOperationException($"Request with Authorization {context.Request.Headers.Authorization} failed.");
        }
        var count = await query.RunAsync(DataScope.Of(context.GetCaller().AccountId), async (connection, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM invoices", connection);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, context.RequestAborted);
        await context.Response.WriteAsync(count.ToString(CultureInfo.InvariantCulture), context.RequestAborted);
    }
}
