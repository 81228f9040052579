using Microsoft.AspNetCore.Http;

namespace Stats.Routing;

/// <summary>Maps method and path to an operation, by hand: four fixed paths, all read-only, no reflection (Native AOT).</summary>
internal static class StatsRouter
{
    internal const string Allowed = "GET, HEAD";

    internal static StatsRoute Match(string method, PathString path)
    {
        var route = (path.Value ?? "/").Trim('/') switch
        {
            "dashboard" => StatsRoute.Dashboard,
            "trend" => StatsRoute.Trend,
            "providers" => StatsRoute.Providers,
            "openapi.json" => StatsRoute.OpenApi,
            _ => StatsRoute.None,
        };
        return route == StatsRoute.None || HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? route : StatsRoute.WrongMethod;
    }
}
