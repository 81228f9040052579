using System.Text;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>The wrk scripts: a bearer token on every request, a request mix, and a done() that prints one parseable line.</summary>
internal static class LuaScripts
{
    private const string Done = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("WRKRESULT %d %d %d %.1f %.1f %.1f\n", summary.requests,
            e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
            latency:percentile(50), latency:percentile(95), latency:percentile(99)))
        end
        """;

    /// <summary>GET /{id} over ids picked at random.</summary>
    internal static string PointReads(string token, IReadOnlyList<Guid> ids) => Script(token, token, ids, null, """
        request = function()
          return wrk.format("GET", "/" .. ids[math.random(#ids)])
        end
        """);

    /// <summary>GET /invoices/{id} over ids picked at random: the seeds' stack's point read (it checks no token).</summary>
    internal static string PeerPointReads(IReadOnlyList<Guid> ids) => Script("", "", ids, null, """
        request = function()
          return wrk.format("GET", "/invoices/" .. ids[math.random(#ids)])
        end
        """);

    /// <summary>GET <paramref name="path"/> again and again.</summary>
    internal static string Fixed(string token, string path) => Script(token, token, [], null, $$"""
        request = function()
          return wrk.format("GET", "{{path}}")
        end
        """);

    /// <summary>POST / with one invoice as JSON.</summary>
    internal static string Creates(string token, string body) => Script(token, token, [], body, """
        request = function()
          return wrk.format("POST", "/", post_headers, body)
        end
        """);

    /// <summary>POST / with one invoice as JSON, each request as one of <paramref name="writerTokens"/> picked at random.</summary>
    internal static string CreatesByMany(IReadOnlyList<string> writerTokens, string body)
    {
        var text = new StringBuilder(Script(writerTokens[0], writerTokens[0], [], body, """
            request = function()
              local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. writers[math.random(#writers)] }
              return wrk.format("POST", "/", headers, body)
            end
            """));
        text.Insert(0, "writers = {" + string.Join(", ", writerTokens.Select(token => $"\"{token}\"")) + "}\n");
        return text.ToString();
    }

    /// <summary>The Invoices mix: 80% GET /{id} and 10% the first list page as the reader, 10% POST / as the writer.</summary>
    internal static string InvoicesMix(string readerToken, string writerToken, IReadOnlyList<Guid> ids, string body) => Script(readerToken, writerToken, ids, body, """
        request = function()
          local roll = math.random(10)
          if roll == 1 then
            return wrk.format("GET", "/")
          elseif roll == 2 then
            return wrk.format("POST", "/", post_headers, body)
          end
          return wrk.format("GET", "/" .. ids[math.random(#ids)])
        end
        """);

    /// <summary>The Stats mix: each of <paramref name="paths"/> in turn.</summary>
    internal static string Rotation(string token, IReadOnlyList<string> paths)
    {
        var text = new StringBuilder(Script(token, token, [], null, """
            local turn = 0
            request = function()
              turn = turn + 1
              return wrk.format("GET", paths[(turn % #paths) + 1])
            end
            """));
        text.Insert(0, "paths = {" + string.Join(", ", paths.Select(path => $"\"{path}\"")) + "}\n");
        return text.ToString();
    }

    // wrk.format uses the headers it is given instead of wrk.headers (only Host is copied): POST's carry their own token.
    private static string Script(string token, string writerToken, IReadOnlyList<Guid> ids, string? body, string request)
    {
        var text = new StringBuilder();
        text.AppendLine($"wrk.headers[\"Authorization\"] = \"Bearer {token}\"");
        text.AppendLine($"post_headers = {{ [\"Content-Type\"] = \"application/json\", [\"Authorization\"] = \"Bearer {writerToken}\" }}");
        text.AppendLine("ids = {" + string.Join(",", ids.Select(id => $"\"{id}\"")) + "}");
        text.AppendLine($"body = [==[{body ?? ""}]==]");
        text.AppendLine(request);
        text.AppendLine(Done);
        return text.ToString();
    }
}
