namespace Stats.Routing;

/// <summary>The operations of the dashboard API, one per route (paths relative to the function's own URL).</summary>
internal enum StatsRoute
{
    /// <summary>No operation at this path.</summary>
    None,

    /// <summary>The path exists but not with this method.</summary>
    WrongMethod,

    /// <summary>GET /dashboard</summary>
    Dashboard,

    /// <summary>GET /trend</summary>
    Trend,

    /// <summary>GET /providers</summary>
    Providers,

    /// <summary>GET /openapi.json</summary>
    OpenApi,
}
