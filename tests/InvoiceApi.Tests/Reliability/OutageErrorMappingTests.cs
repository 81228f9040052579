using System.Net.Sockets;
using InvoiceApi.Data.Connection;
using InvoiceApi.Functions.Api.Database;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// Every error PostgreSQL or the driver raises while a server crashes, restarts, ends sessions or loses a table is a 503
/// problem with Retry-After, never a 500; errors in the request itself are left to other mappers.
/// </summary>
public sealed class OutageErrorMappingTests
{
    private readonly DatabaseProblemMapper _mapper = new(new SchemaMismatchAlarm(NullLogger<SchemaMismatchAlarm>.Instance));

    public static TheoryData<string> OutageStates => ["57P01", "57P02", "57P03", "08000", "08003", "08006", "53300", "57014", "42703", "42P01"];

    [Theory]
    [MemberData(nameof(OutageStates))]
    public void Server_errors_of_an_outage_or_a_drifted_schema_are_503_with_retry_after(string sqlState)
    {
        var problem = _mapper.TryMap(new PostgresException("message", "FATAL", "FATAL", sqlState));

        Assert.NotNull(problem);
        Assert.Equal(503, problem.Status);
        Assert.NotNull(problem.RetryAfter);
    }

    [Fact]
    public void A_connection_cut_by_the_server_or_the_network_is_503()
    {
        var cuts = new Exception[]
        {
            new NpgsqlException("Exception while reading from stream", new EndOfStreamException()),
            new NpgsqlException("Exception while writing to stream", new IOException("Broken pipe", new SocketException((int)SocketError.Shutdown))),
            new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)),
            new DatabaseUnavailableException("no connection within 4 s", isTransient: true),
            new DatabaseConnectionLostException("lost", mayHaveCommitted: false, new EndOfStreamException()),
        };

        Assert.All(cuts, cut => Assert.Equal(503, _mapper.TryMap(cut)?.Status));
    }

    [Fact]
    public void A_missing_column_is_a_schema_mismatch_that_says_to_run_the_migrations()
    {
        var problem = _mapper.TryMap(new PostgresException("column \"description\" does not exist", "ERROR", "ERROR", "42703"));

        Assert.Equal(ProblemTypes.SchemaMismatch, problem?.Type);
        Assert.Contains("migrations", problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lost_commit_says_the_write_may_have_been_saved_and_to_retry_with_the_key()
    {
        var problem = _mapper.TryMap(new DatabaseConnectionLostException("lost", mayHaveCommitted: true, new EndOfStreamException()));

        Assert.Contains("may or may not have been saved", problem!.Detail, StringComparison.Ordinal);
        Assert.Contains("Idempotency-Key", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("23514")]
    [InlineData("42501")]
    [InlineData("22P02")]
    public void Errors_of_the_request_itself_are_not_outages(string sqlState)
    {
        Assert.Null(_mapper.TryMap(new PostgresException("message", "ERROR", "ERROR", sqlState)));
    }
}
