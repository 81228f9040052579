using System.Net;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>Idempotency-Key on POST /: replay, reuse with another body, per-caller scope, concurrent retries.</summary>
public sealed class IdempotencyTests(PostgresServer server)
{
    [Fact]
    public async Task A_retry_with_the_same_key_and_body_replays_the_first_response()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var first = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: "order-1");
        using var retry = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: "order-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Token), await retry.Content.ReadAsStringAsync(Token));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.False(first.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotency-Replayed"));
        Assert.Equal(1, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_and_writes_nothing()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var first = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: "order-1");

        using var other = await SendAsync(app.A, HttpMethod.Post, "/", Body(b => b["amount"] = "99.00"), idempotencyKey: "order-1");

        await AssertProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task Keys_are_scoped_per_caller()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var a = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: "shared-key");
        using var b = await SendAsync(app.B, HttpMethod.Post, "/", Body(), idempotencyKey: "shared-key");

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        Assert.False(b.Headers.Contains("Idempotency-Replayed"));
        Assert.NotEqual(a.Headers.Location, b.Headers.Location);
        Assert.Equal(2, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task A_refused_request_does_not_use_up_its_key()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var invalid = await SendAsync(app.A, HttpMethod.Post, "/", Body(b => b["amount"] = "-1"), idempotencyKey: "k");
        using var valid = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: "k");

        await AssertProblemAsync(invalid, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
        Assert.Equal(0, await CountAsync(app, "SELECT count(*) FROM idempotency_keys WHERE response_status <> 201"));
    }

    [Fact]
    public async Task Twenty_concurrent_posts_with_one_key_create_one_invoice_and_get_the_same_body()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var body = Body();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await SendAsync(app.A, HttpMethod.Post, "/", body, idempotencyKey: "burst-1");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Token), Location: response.Headers.Location);
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Body).Distinct());
        Assert.Single(responses.Select(r => r.Location).Distinct());
        Assert.Equal(1, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task A_duplicate_waiting_longer_than_the_lock_timeout_gets_409_with_retry_after()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        // Stand-in for a first request that is still running: an open transaction holding the key's row.
        await using var dataSource = app.Database.AdminDataSource();
        await using var connection = await dataSource.OpenConnectionAsync(Token);
        await using var transaction = await connection.BeginTransactionAsync(Token);
        await using (var hold = new Npgsql.NpgsqlCommand(
            "INSERT INTO idempotency_keys (account_id, member_id, key, request_hash, response_status, response_body) VALUES ('caller-a', 'caller-a', 'slow', 'h', 0, '')",
            connection, transaction))
        {
            await hold.ExecuteNonQueryAsync(Token);
        }

        using var response = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: "slow");

        await AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter!.Delta);
        await transaction.RollbackAsync(Token);
        Assert.Equal(0, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task A_new_key_waiting_longer_than_the_lock_timeout_on_the_callers_other_writes_still_succeeds()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var earlier = await SendAsync(app.A, HttpMethod.Post, "/", Body());
        // Stand-in for the caller's large import still running: it holds the caller's change-number row, which every
        // write of the caller updates too.
        await using var dataSource = app.Database.AdminDataSource();
        await using var connection = await dataSource.OpenConnectionAsync(Token);
        await using var transaction = await connection.BeginTransactionAsync(Token);
        await using (var hold = new Npgsql.NpgsqlCommand("SELECT 1 FROM invoice_account_versions WHERE account_id = 'caller-a' FOR UPDATE", connection, transaction))
        {
            Assert.Equal(1, await hold.ExecuteScalarAsync(Token));
        }

        var post = SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: "fresh-key");
        await Task.Delay(TimeSpan.FromSeconds(4), Token);
        Assert.False(post.IsCompleted, "the write should still wait for the caller's row");
        await transaction.CommitAsync(Token);
        using var response = await post;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, await InvoiceCountAsync(app));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public async Task A_malformed_key_is_400(string key)
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: key);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task A_key_of_256_characters_is_400_and_255_is_accepted()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var tooLong = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: new string('k', 256));
        using var longest = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: new string('k', 255));

        await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
    }

    [Fact]
    public async Task An_expired_key_is_used_again_for_a_new_request()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var first = await SendAsync(app.A, HttpMethod.Post, "/", Body(), idempotencyKey: "old");
        await CountAsync(app, "WITH aged AS (UPDATE idempotency_keys SET created_at = now() - interval '25 hours' RETURNING 1) SELECT count(*) FROM aged");

        using var later = await SendAsync(app.A, HttpMethod.Post, "/", Body(b => b["amount"] = "7.00"), idempotencyKey: "old");

        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.False(later.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(2, await InvoiceCountAsync(app));
    }
}
