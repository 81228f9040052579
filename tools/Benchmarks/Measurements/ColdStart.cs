using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using InvoiceApi.Tools.Benchmarks.Processes;
using InvoiceApi.Tools.Benchmarks.Publishing;
using InvoiceApi.Tools.Benchmarks.Report;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>
/// From exec of the published binary to its first successful authenticated, database-backed response: the process is
/// started, the path is asked for every millisecond until it answers 200, then the process's memory is read and it is
/// killed. Builds alternate run by run, so a burst of load on the shared machine hits both alike.
/// </summary>
internal static class ColdStart
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    internal static async Task<Dictionary<Build, ColdStartResult>> MeasureAsync(IReadOnlyList<PublishedFunction> builds, FunctionSettings settings,
        string path, string token, int runs, CpuPinning pinning, CancellationToken cancellationToken)
    {
        var samples = builds.ToDictionary(build => build.Build, _ => new List<(double Ms, double CpuMs, MemoryReading Memory)>());
        for (var run = 0; run < runs; run++)
        {
            foreach (var build in builds)
            {
                samples[build.Build].Add(await StartOnceAsync(build, settings, path, token, pinning, cancellationToken));
            }
        }
        return samples.ToDictionary(pair => pair.Key, pair => new ColdStartResult(
            Spread.Of(pair.Value.Select(sample => sample.Ms).ToList()),
            Spread.Of(pair.Value.Select(sample => sample.CpuMs).ToList()),
            Spread.Of(pair.Value.Select(sample => sample.Memory.RssMb).ToList()),
            Spread.Of(pair.Value.Select(sample => sample.Memory.PeakMb).ToList())));
    }

    /// <summary>One start, to its first good response; throws when the function exits or answers anything but 200.</summary>
    internal static async Task<(double Ms, double CpuMs, MemoryReading Memory)> StartOnceAsync(PublishedFunction function, FunctionSettings settings, string path,
        string token, CpuPinning pinning, CancellationToken cancellationToken)
    {
        var port = FreePort();
        using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1), PooledConnectionLifetime = TimeSpan.Zero })
        {
            Timeout = Limit,
        };
        var started = Stopwatch.GetTimestamp();
        await using var server = ServerProcess.Start(function, settings, port, pinning);
        var url = new Uri(server.BaseAddress, path);
        while (true)
        {
            if (server.HasExited || Stopwatch.GetElapsedTime(started) > Limit)
            {
                throw new InvalidOperationException($"{function.Function} ({function.Label}) did not answer GET {path} with 200 within {Limit.TotalSeconds:0} s:\n{server.Tail()}");
            }
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = new("Bearer", token);
                using var response = await client.SendAsync(request, cancellationToken);
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    return (elapsed, CpuTime.SecondsOf(server.Pid) * 1000, server.Memory());
                }
                throw new InvalidOperationException($"{function.Function} ({function.Label}) answered GET {path} with {(int)response.StatusCode}:\n{server.Tail()}");
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
                await Task.Delay(1, cancellationToken);
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
