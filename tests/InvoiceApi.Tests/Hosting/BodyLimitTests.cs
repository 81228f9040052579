using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using InvoiceApi.Functions.Api.Limits;
using InvoiceApi.Tests.Hosting.TestFunctions;

namespace InvoiceApi.Tests.Hosting;

/// <summary>Bodies over 1 MiB (10 MiB where an operation allows it) are a 413 problem, declared or chunked, never a 400 or 500.</summary>
public sealed class BodyLimitTests
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_body_of_exactly_1_MiB_is_accepted()
    {
        await using var function = await StartAsync();

        using var response = await function.Client.PostAsync("/", Declared(MiB), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{MiB}", await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task A_declared_length_over_1_MiB_is_413_problem()
    {
        await using var function = await StartAsync();

        // Only the headers are sent: the answer must come from the declared length, before any of the body arrives.
        var (status, contentType, body) = await SendHeadersOnlyAsync(function, 4 * MiB);

        Assert.Equal(413, status);
        Assert.Equal("application/problem+json", contentType);
        AssertTooLargeProblem(body, RequestBodyLimit.DefaultBytes);
    }

    [Fact]
    public async Task A_chunked_body_that_grows_past_1_MiB_is_413_problem()
    {
        await using var function = await StartAsync();

        using var response = await function.Client.PostAsync("/", Chunked(MiB + 1), Token);

        await AssertTooLargeAsync(response, RequestBodyLimit.DefaultBytes);
    }

    [Fact]
    public async Task An_operation_that_raises_the_limit_accepts_5_MiB_declared_or_chunked()
    {
        await using var function = await StartAsync();

        using var declared = await function.Client.PostAsync("/import", Declared(5 * MiB), Token);
        using var chunked = await function.Client.PostAsync("/import", Chunked(5 * MiB), Token);

        Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
        Assert.Equal($"{5 * MiB}", await declared.Content.ReadAsStringAsync(Token));
        Assert.Equal(HttpStatusCode.OK, chunked.StatusCode);
        Assert.Equal($"{5 * MiB}", await chunked.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task A_raised_limit_still_refuses_more_than_10_MiB()
    {
        await using var function = await StartAsync();

        using var response = await function.Client.PostAsync("/import", Chunked(10 * MiB + 1), Token);

        await AssertTooLargeAsync(response, RequestBodyLimit.ImportBytes);
    }

    [Fact]
    public async Task The_limit_cannot_be_raised_once_the_body_has_been_read()
    {
        await using var function = await StartAsync();

        using var response = await function.Client.PostAsync("/late", Declared(10), Token);

        Assert.Equal("refused", await response.Content.ReadAsStringAsync(Token));
    }

    private static async Task AssertTooLargeAsync(HttpResponseMessage response, long limit)
    {
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertTooLargeProblem(await response.Content.ReadAsStringAsync(Token), limit);
    }

    private static void AssertTooLargeProblem(string body, long limit)
    {
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("urn:invoice-api:problem:payload-too-large", problem.RootElement.GetProperty("type").GetString());
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{limit:N0} bytes"), problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(int Status, string? ContentType, string Body)> SendHeadersOnlyAsync(InProcessFunction function, int declaredLength)
    {
        var address = function.Client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, Token);
        await using var stream = tcp.GetStream();
        var head = $"POST / HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {TestAuthority.Token()}\r\n"
            + $"Content-Type: application/octet-stream\r\nContent-Length: {declaredLength}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var text = await ReadResponseAsync(stream, timeout.Token);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = text[..headerEnd].Split("\r\n");
        var contentType = headers.FirstOrDefault(line => line.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?["Content-Type:".Length..].Trim();
        var body = text[(headerEnd + 4)..];
        var chunked = headers.Any(line => line.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase));
        return (int.Parse(headers[0].Split(' ')[1], CultureInfo.InvariantCulture), contentType, chunked ? Unchunk(body) : body);
    }

    private static string Unchunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = int.Parse(body[position..lineEnd], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return result.ToString();
            }
            result.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }

    // The server closes the connection after refusing the body, so the response ends where the stream does.
    private static async Task<string> ReadResponseAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var received = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            received.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    private static ByteArrayContent Declared(int length) => new(new byte[length]);

    // No length known in advance: HttpClient sends it chunked.
    private static StreamContent Chunked(int length) => new(new UnseekableStream(length));

    private static Task<InProcessFunction> StartAsync() =>
        InProcessFunction.StartAsync(typeof(BodySizeFunction).Assembly, new(), "--target", typeof(BodySizeFunction).FullName!);

    /// <summary>Zeros of a given length from a stream that cannot tell its length.</summary>
    private sealed class UnseekableStream(long length) : Stream
    {
        private long _remaining = length;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = (int)Math.Min(count, _remaining);
            Array.Clear(buffer, offset, read);
            _remaining -= read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
