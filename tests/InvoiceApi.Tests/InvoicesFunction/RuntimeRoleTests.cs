using System.Net;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>
/// The function as production runs it: logged in as a member of invoice_api_runtime, so the grants of migrations 0002
/// and 0003 must be enough and row-level security holds every statement. Every single-invoice route works, and the
/// walls still stand.
/// </summary>
public sealed class RuntimeRoleTests(PostgresServer server)
{
    [Fact]
    public async Task Every_route_works_with_the_runtime_roles_grants_and_callers_stay_apart()
    {
        var role = "ivt_rt_" + Guid.NewGuid().ToString("N")[..12];
        var password = Guid.NewGuid().ToString("N");
        await server.ExecuteAdminAsync($"CREATE ROLE {role} LOGIN PASSWORD '{password}' IN ROLE invoice_api_runtime", Token);
        try
        {
            await using var app = await InvoicesApp.StartAsync(server, new() { ["DB_USER"] = role, ["DB_PASS"] = password });

            using var created = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: "rt-1");
            using var replayed = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: "rt-1");
            using var otherCaller = await SendAsync(app.B, HttpMethod.Post, "/", Body(), idempotencyKey: "rt-1");
            var id = (await JsonAsync(created)).GetProperty("id").GetString();
            using var read = await app.A.GetAsync($"/{id}", Token);
            using var hidden = await app.B.GetAsync($"/{id}", Token);
            using var adminRead = await app.Admin.GetAsync($"/{id}?all_callers=true", Token);
            using var put = await SendAsync(app.A, HttpMethod.Put, $"/{id}", Body(b => b["amount"] = "5"), ifMatch: "\"1\"");
            using var patch = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"status":"paid"}""", ifMatch: "\"2\"");
            using var foreignPatch = await SendAsync(app.B, HttpMethod.Patch, $"/{id}", """{"status":"void"}""", ifMatch: "*");
            using var archive = await SendAsync(app.A, HttpMethod.Delete, $"/{id}", ifMatch: "\"3\"");
            using var restore = await SendAsync(app.A, HttpMethod.Post, $"/{id}/restore");

            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(["true"], replayed.Headers.GetValues("Idempotency-Replayed"));
            Assert.False(otherCaller.Headers.Contains("Idempotency-Replayed"));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            await AssertProblemAsync(hidden, HttpStatusCode.NotFound);
            Assert.Equal(HttpStatusCode.OK, adminRead.StatusCode);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
            await AssertProblemAsync(foreignPatch, HttpStatusCode.NotFound);
            Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
            Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
            Assert.Equal("\"5\"", restore.Headers.ETag!.ToString());
            Assert.Equal(2, await InvoiceCountAsync(app));
            Assert.Equal(2, await CountAsync(app, "SELECT count(*) FROM idempotency_keys"));
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await server.ExecuteAdminAsync($"DROP ROLE IF EXISTS {role}", Token);
        }
    }
}
