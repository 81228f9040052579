using InvoiceApi.Tools.Benchmarks.Measurements;
using InvoiceApi.Tools.Benchmarks.Processes;

namespace InvoiceApi.Tools.Benchmarks.Peer;

/// <summary>
/// The seeds' stack (Peer/app.py: FastAPI + SQLAlchemy + psycopg2 under gunicorn with 2 uvicorn workers), started from
/// Debian's packages on the server cores, logged in as the cluster's superuser over the same socket.
/// </summary>
internal static class PeerStack
{
    internal const string Label = "seeds' stack: FastAPI 0.92 + SQLAlchemy 1.4 + psycopg2, gunicorn 2 uvicorn workers, GET /invoices/{id}";

    private const string Gunicorn = "/usr/bin/gunicorn";
    private const string Python = "/usr/bin/python3";
    private const string Install = "apt-get install python3-fastapi python3-uvicorn python3-sqlalchemy python3-psycopg2 gunicorn";

    /// <summary>Why the peer cannot run on this machine (with the command that fixes it), or null when it can.</summary>
    internal static async Task<string?> MissingAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Gunicorn) || !File.Exists(Python))
        {
            return $"the peer stack needs Debian's gunicorn and python3: {Install}";
        }
        var probe = await Command.RunAsync(Python, ["-c", "import fastapi, uvicorn, sqlalchemy, psycopg2"], cancellationToken);
        return probe.Succeeded ? null : $"the peer stack's Python packages are missing ({probe.Error.Trim().Split('\n')[^1]}): {Install}";
    }

    /// <summary>Starts the peer and waits until it answers a point read of <paramref name="probeId"/>.</summary>
    internal static async Task<ServerProcess> StartAsync(string repositoryRoot, string socketDirectory, string database, string user, string password,
        Guid probeId, CpuPinning pinning, CancellationToken cancellationToken)
    {
        var port = ColdStart.FreePort();
        var url = $"postgresql+psycopg2://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@/{database}?host={Uri.EscapeDataString(socketDirectory)}&port=5432";
        var server = ServerProcess.Start(Gunicorn,
            ["--workers", "2", "--worker-class", "uvicorn.workers.UvicornWorker", "--bind", $"127.0.0.1:{port}", "--log-level", "warning", "app:app"],
            Path.Join(repositoryRoot, "tools", "Benchmarks", "Peer"),
            new Dictionary<string, string> { ["PEER_DATABASE_URL"] = url, ["PYTHONDONTWRITEBYTECODE"] = "1" },
            port, pinning);
        using var client = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(server.BaseAddress, $"/invoices/{probeId}"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
                if (attempt >= 100)
                {
                    throw new InvalidOperationException($"the peer stack answered {(int)response.StatusCode}:\n{server.Tail()}");
                }
            }
            catch (HttpRequestException) when (attempt < 100 && !server.HasExited)
            {
            }
            catch (HttpRequestException)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"the peer stack did not start:\n{server.Tail()}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }
}
