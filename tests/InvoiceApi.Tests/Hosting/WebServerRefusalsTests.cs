using System.Globalization;
using System.Net.Sockets;
using System.Text;
using InvoiceApi.Tests.Hosting.TestFunctions;

namespace InvoiceApi.Tests.Hosting;

/// <summary>
/// The requests Kestrel refuses while parsing, before any middleware or function code runs. Kestrel has no hook to shape
/// those answers, so they stay bare (a status line, no body); docs/api.md lists exactly these. If a Kestrel update
/// changes one of them, this test fails and the list must be updated with it.
/// </summary>
public sealed class WebServerRefusalsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, byte[], int> BareRefusals()
    {
        var longTarget = "/?q=" + new string('a', 64 * 1024);
        return new()
        {
            { "a header byte that is not UTF-8", Head("GET / HTTP/1.1"u8.ToArray(), [.. "X-Note: caf"u8, 0xE9]), 400 },
            { "no Host in HTTP/1.1", Ascii("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"), 400 },
            { "two Host headers", Ascii("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400 },
            { "a Content-Length that is not a number", Ascii("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: ten\r\n\r\n"), 400 },
            { "unencoded UTF-8 in the path", Head("GET /Librería HTTP/1.1"u8.ToArray()), 400 },
            { "%00 in the path", Ascii("GET /a%00b HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400 },
            { "unencoded UTF-8 in the query", Head("GET /?provider=Librería HTTP/1.1"u8.ToArray()), 400 },
            { "a request line over 64 KiB", Ascii($"GET {longTarget} HTTP/1.1\r\nHost: localhost\r\n\r\n"), 414 },
            { "headers over 64 KiB", Ascii($"GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: {new string('a', 64 * 1024)}\r\n\r\n"), 431 },
        };
    }

    [Theory]
    [MemberData(nameof(BareRefusals))]
    public async Task Kestrel_refuses_these_with_a_bare_status_and_no_function_code_runs(string kind, byte[] request, int status)
    {
        _ = kind;
        await using var function = await StartAsync();

        var (actualStatus, body) = await SendRawAsync(function, request);

        Assert.Equal(status, actualStatus);
        Assert.Equal("", body);
        Assert.Equal(0, Counter(function).Calls);
    }

    [Fact]
    public async Task The_same_text_percent_encoded_reaches_the_function()
    {
        await using var function = await StartAsync();

        var (status, body) = await SendRawAsync(function, Ascii(
            $"GET /?provider=Librer%C3%ADa HTTP/1.0\r\nHost: localhost\r\nAuthorization: Bearer {TestAuthority.Token()}\r\n\r\n"));

        Assert.Equal(200, status);
        Assert.Equal("GET /?provider=Librer%C3%ADa", body);
        Assert.Equal(1, Counter(function).Calls);
    }

    [Fact]
    public async Task An_empty_Host_is_allowed_by_HTTP_and_gets_the_functions_own_answers()
    {
        await using var function = await StartAsync();

        var (status, body) = await SendRawAsync(function, Ascii(
            $"GET /?provider=x HTTP/1.1\r\nHost: \r\nAuthorization: Bearer {TestAuthority.Token()}\r\nConnection: close\r\n\r\n"));

        Assert.Equal(200, status);
        Assert.Contains("GET /?provider=x", body, StringComparison.Ordinal);
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Head(byte[] requestLine, params byte[][] headers)
    {
        var head = new List<byte>(requestLine);
        head.AddRange("\r\nHost: localhost\r\n"u8.ToArray());
        foreach (var header in headers)
        {
            head.AddRange(header);
            head.AddRange("\r\n"u8.ToArray());
        }
        head.AddRange("\r\n"u8.ToArray());
        return [.. head];
    }

    private static Task<InProcessFunction> StartAsync() =>
        InProcessFunction.StartAsync(typeof(EchoFunction).Assembly, new(), "--target", typeof(EchoFunction).FullName!);

    private static CallCounter Counter(InProcessFunction function) =>
        (CallCounter)function.App.Services.GetService(typeof(CallCounter))!;

    // Kestrel closes the connection after a refusal (and after an HTTP/1.0 answer), so the answer ends
    // where the stream does.
    private static async Task<(int Status, string Body)> SendRawAsync(InProcessFunction function, byte[] request)
    {
        var address = function.Client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, Token);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(request, Token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var received = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        try
        {
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the answer (Kestrel stops reading a refused request's remaining bytes) ends it too.
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(headerEnd > 0, $"no complete answer: '{text}'");
        var statusLine = text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
        return (int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture), text[(headerEnd + 4)..]);
    }
}
