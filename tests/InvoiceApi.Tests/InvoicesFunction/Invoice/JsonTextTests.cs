using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>Responses carry Spanish names as the letters they are, and still escape what HTML would interpret.</summary>
public sealed class JsonTextTests(PostgresServer server)
{
    [Fact]
    public async Task Accented_letters_are_written_as_themselves_in_invoices_lists_and_problems()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var created = await SendAsync(app.A, HttpMethod.Post, "/", """{"date":"2024-01-02","provider":"Papelería Ñandú <b>","amount":5,"category":"Señales"}""");
        using var list = await SendAsync(app.A, HttpMethod.Get, "/");
        using var problem = await SendAsync(app.A, HttpMethod.Get, "/?categoría=x");

        var createdText = await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var listText = await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var problemText = await problem.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Papelería Ñandú \\u003Cb\\u003E", createdText, StringComparison.Ordinal);
        Assert.Contains("\"Señales\"", listText, StringComparison.Ordinal);
        Assert.Contains("categoría", problemText, StringComparison.Ordinal);
    }
}
