using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace InvoiceApi.Tests.Browser;

/// <summary>
/// Debian's headless Chromium driven over the DevTools protocol (one page, one WebSocket): navigate, evaluate
/// JavaScript, click and type as input events, take screenshots, and record every network failure and console error.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Every request the page sent: id, method, URL; responses and failures are filled in as they come.</summary>
    public ConcurrentDictionary<string, NetworkRequest> Requests { get; } = new();

    /// <summary>Uncaught exceptions and console errors, as text.</summary>
    public ConcurrentQueue<string> ConsoleErrors { get; } = new();

    /// <summary>Starts Chromium with a fresh profile and attaches to its first page.</summary>
    public static async Task<HeadlessChromium> StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package (apt-get install -y chromium); .ci/run does.");
        }
        var profile = Directory.CreateTempSubdirectory("invoiceapi-chromium-").FullName;
        var start = new ProcessStartInfo(ExecutablePath)
        {
            ArgumentList =
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1400,1000", "--lang=en-US",
                $"--user-data-dir={profile}", "about:blank",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["TZ"] = "UTC";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{ExecutablePath} did not start.");
        var browser = new HeadlessChromium(process, profile);
        try
        {
            var endpoint = await DevToolsEndpointAsync(process, cancellationToken);
            await browser.AttachToPageAsync(endpoint, cancellationToken);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one DevTools command and returns its result.</summary>
    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
        return await answer.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Evaluates an expression in the page (promises awaited) and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true, ["userGesture"] = true,
        }, cancellationToken);
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"The page threw while evaluating `{expression}`: {exception.ToJsonString()}");
        }
        return result["result"]?["value"];
    }

    /// <summary>Waits until <paramref name="condition"/> (a JavaScript expression) is true in the page.</summary>
    public async Task WaitUntilAsync(string condition, string what, CancellationToken cancellationToken, double seconds = 15)
    {
        var clock = Stopwatch.StartNew();
        var lastError = "";
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            try
            {
                if (await EvaluateAsync($"Boolean({condition})", cancellationToken) is JsonValue value && value.GetValue<bool>())
                {
                    return;
                }
            }
            catch (InvalidOperationException exception)
            {
                // A page still loading has no body or a replaced context yet: ask again.
                lastError = exception.Message;
            }
            await Task.Delay(100, cancellationToken);
        }
        var errors = string.Join("\n", ConsoleErrors);
        throw new TimeoutException(
            $"Waited {seconds:0} s for {what} ({condition}). Last error: {(lastError.Length == 0 ? "none" : lastError)}. Console errors: {(errors.Length == 0 ? "none" : errors)}");
    }

    public async Task NavigateAsync(Uri url, CancellationToken cancellationToken)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() }, cancellationToken);
    }

    /// <summary>Clicks the middle of the element as a mouse would, after scrolling it into view.</summary>
    public async Task ClickAsync(string selector, CancellationToken cancellationToken)
    {
        var box = await EvaluateAsync($$"""
            (() => { const node = document.querySelector({{JsonSerializer.Serialize(selector)}}); node.scrollIntoView({ block: 'center' });
              const r = node.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()
            """, cancellationToken) ?? throw new InvalidOperationException($"No element matches {selector}.");
        foreach (var type in new[] { "mousePressed", "mouseReleased" })
        {
            await SendAsync("Input.dispatchMouseEvent", new JsonObject
            {
                ["type"] = type, ["x"] = box["x"]!.GetValue<double>(), ["y"] = box["y"]!.GetValue<double>(), ["button"] = "left", ["clickCount"] = 1,
            }, cancellationToken);
        }
    }

    /// <summary>Focuses a text field, selects what it holds and types <paramref name="text"/> over it, as keyboard input.</summary>
    public async Task TypeAsync(string selector, string text, CancellationToken cancellationToken)
    {
        await EvaluateAsync($"(() => {{ const node = document.querySelector({JsonSerializer.Serialize(selector)}); node.focus(); node.select(); }})()", cancellationToken);
        await SendAsync("Input.insertText", new JsonObject { ["text"] = text }, cancellationToken);
    }

    /// <summary>Sets a field's value through the DOM (date pickers and selects take no typed text) and fires input and change.</summary>
    public async Task SetValueAsync(string selector, string value, CancellationToken cancellationToken)
    {
        await EvaluateAsync($$"""
            (() => { const node = document.querySelector({{JsonSerializer.Serialize(selector)}}); node.value = {{JsonSerializer.Serialize(value)}};
              node.dispatchEvent(new Event('input', { bubbles: true })); node.dispatchEvent(new Event('change', { bubbles: true })); })()
            """, cancellationToken);
    }

    /// <summary>A PNG of the whole page, beyond the window's height.</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken)
    {
        var metrics = await SendAsync("Page.getLayoutMetrics", null, cancellationToken);
        var size = metrics["cssContentSize"] ?? metrics["contentSize"];
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject
            {
                ["x"] = 0, ["y"] = 0, ["width"] = size!["width"]!.GetValue<double>(), ["height"] = size["height"]!.GetValue<double>(), ["scale"] = 1,
            },
        }, cancellationToken);
        return Convert.FromBase64String(shot["data"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket.Abort();
        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
        _closing.Dispose();
        _sendLock.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A helper process may still be writing its last file; the folder is under /tmp.
        }
    }

    // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/..." on stderr once it listens.
    private static async Task<Uri> DevToolsEndpointAsync(Process process, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(StartLimit);
        var seen = new StringBuilder();
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        while (await process.StandardError.ReadLineAsync(limit.Token) is { } line)
        {
            seen.AppendLine(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                // Keep draining stderr so Chromium never blocks on a full pipe.
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new Uri($"http://{match.Groups["hostport"].Value}/");
            }
        }
        throw new InvalidOperationException($"Chromium exited without opening its DevTools port:\n{seen}");
    }

    private async Task AttachToPageAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(5) };
        var targets = JsonNode.Parse(await http.GetStringAsync(new Uri("/json/list", UriKind.Relative), cancellationToken))!.AsArray();
        var page = targets.First(target => target!["type"]!.GetValue<string>() == "page")!;
        await _socket.ConnectAsync(new Uri(page["webSocketDebuggerUrl"]!.GetValue<string>()), cancellationToken);
        _receiving = ReceiveAsync(_closing.Token);
        foreach (var domain in new[] { "Page.enable", "Runtime.enable", "Network.enable", "Log.enable" })
        {
            await SendAsync(domain, null, cancellationToken);
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (!cancellationToken.IsCancellationRequested)
        {
            var received = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }
            var node = JsonNode.Parse(message.ToArray())!;
            message.SetLength(0);
            Dispatch(node);
        }
    }

    private void Dispatch(JsonNode message)
    {
        if (message["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var answer))
        {
            if (message["error"] is { } error)
            {
                answer.SetException(new InvalidOperationException($"DevTools error: {error.ToJsonString()}"));
            }
            else
            {
                answer.SetResult(message["result"] ?? new JsonObject());
            }
            return;
        }
        var parameters = message["params"];
        switch (message["method"]?.GetValue<string>())
        {
            case "Network.requestWillBeSent":
                var request = parameters!["request"]!;
                Requests[parameters["requestId"]!.GetValue<string>()] = new NetworkRequest(
                    request["method"]!.GetValue<string>(), request["url"]!.GetValue<string>());
                break;
            case "Network.responseReceived":
                if (Requests.TryGetValue(parameters!["requestId"]!.GetValue<string>(), out var answered))
                {
                    answered.Status = parameters["response"]!["status"]!.GetValue<int>();
                }
                break;
            case "Network.loadingFailed":
                if (Requests.TryGetValue(parameters!["requestId"]!.GetValue<string>(), out var failed))
                {
                    failed.Failure = parameters.ToJsonString();
                }
                break;
            case "Runtime.exceptionThrown":
                ConsoleErrors.Enqueue("exception: " + parameters!["exceptionDetails"]!.ToJsonString());
                break;
            case "Runtime.consoleAPICalled" when parameters!["type"]!.GetValue<string>() == "error":
                ConsoleErrors.Enqueue("console.error: " + parameters["args"]!.ToJsonString());
                break;
            case "Log.entryAdded" when parameters!["entry"]!["level"]!.GetValue<string>() == "error":
                ConsoleErrors.Enqueue("log: " + parameters["entry"]!.ToJsonString());
                break;
        }
    }

    [GeneratedRegex(@"DevTools listening on ws://(?<hostport>[^/\s]+)/")]
    private static partial Regex ListeningLine();
}

/// <summary>One request the page made, as the DevTools protocol reported it.</summary>
public sealed class NetworkRequest(string method, string url)
{
    public string Method { get; } = method;

    public string Url { get; } = url;

    /// <summary>The HTTP status, once a response arrived (a CORS-blocked response has none).</summary>
    public int? Status { get; set; }

    /// <summary>Network.loadingFailed's parameters (errorText, corsErrorStatus, blockedReason), when it failed.</summary>
    public string? Failure { get; set; }
}
