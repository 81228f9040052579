using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Serves the dashboard page (tools/Emulator/Dashboard, embedded in this assembly) on its own origin, plus
/// <c>/config.json</c> with the functions' URLs, so the page calls them over CORS exactly as a client elsewhere would.
/// </summary>
internal sealed class DashboardSite : IAsyncDisposable
{
    internal const int DefaultPort = 8080;
    private const string ResourcePrefix = "Dashboard/";

    private readonly WebApplication _app;

    private DashboardSite(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The page's address, for example http://127.0.0.1:8080/.</summary>
    internal Uri Url { get; }

    /// <summary>The origins the functions must allow (ALLOWED_ORIGINS) for a page served on <paramref name="port"/>.</summary>
    internal static string OriginsFor(int port) => $"http://127.0.0.1:{port},http://localhost:{port}";

    /// <exception cref="EmulatorFailure">The port is taken (exit code 2).</exception>
    internal static void EnsurePortFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException)
        {
            throw new EmulatorFailure(ExitCodes.Usage, $"Port {port} (dashboard page) is already in use; stop what holds it or pass --dashboard-port.");
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Starts serving on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <exception cref="EmulatorFailure">The port could not be bound (exit code 2).</exception>
    internal static async Task<DashboardSite> StartAsync(int port, Uri invoicesUrl, Uri statsUrl, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The emulator's StopSignal owns Ctrl+C and SIGTERM; the page stops when the stack is disposed, first.
        builder.Services.AddSingleton<IHostLifetime, StackOwnedLifetime>();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var config = ConfigJson(invoicesUrl, statsUrl);
        var policy = ContentSecurityPolicy(invoicesUrl, statsUrl);
        app.Run(context => ServeAsync(context, config, policy));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException exception)
        {
            await app.DisposeAsync();
            throw new EmulatorFailure(ExitCodes.Usage, $"The dashboard page could not listen on 127.0.0.1:{port} ({exception.Message}); pass --dashboard-port.");
        }
        return new DashboardSite(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static Task ServeAsync(HttpContext context, byte[] config, string policy)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers.ContentSecurityPolicy = policy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }
        var path = request.Path.Value ?? "/";
        if (path == "/config.json")
        {
            return WriteAsync(response, "application/json; charset=utf-8", config);
        }
        var resourceName = ResourcePrefix + (path is "/" ? "index.html" : path.TrimStart('/'));
        using var stream = typeof(DashboardSite).Assembly.GetManifestResourceStream(resourceName);
        if (stream is null || path.Contains("..", StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return WriteAsync(response, "text/plain; charset=utf-8", "Not found"u8.ToArray());
        }
        var body = new byte[stream.Length];
        stream.ReadExactly(body);
        return WriteAsync(response, ContentType(resourceName), body);
    }

    private static async Task WriteAsync(HttpResponse response, string contentType, byte[] body)
    {
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(response.HttpContext.Request.Method))
        {
            await response.Body.WriteAsync(body, response.HttpContext.RequestAborted);
        }
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    // Only this origin and the two functions: the page fetches nothing from anywhere else.
    private static string ContentSecurityPolicy(Uri invoicesUrl, Uri statsUrl) =>
        $"default-src 'self'; connect-src 'self' {Origin(invoicesUrl)} {Origin(statsUrl)}; img-src 'self' data:; " +
        "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);

    private static byte[] ConfigJson(Uri invoicesUrl, Uri statsUrl)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("invoices", Origin(invoicesUrl));
            json.WriteString("stats", Origin(statsUrl));
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private sealed class StackOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
