namespace Invoices.Routing;

/// <summary>The operations of the invoice API, one per route (paths relative to the function's own URL).</summary>
internal enum InvoiceRoute
{
    /// <summary>No operation at this path.</summary>
    None,

    /// <summary>The path exists but not with this method.</summary>
    WrongMethod,

    /// <summary>GET /</summary>
    List,

    /// <summary>POST /</summary>
    Create,

    /// <summary>GET /export.csv</summary>
    Export,

    /// <summary>POST /import</summary>
    Import,

    /// <summary>GET /openapi.json</summary>
    OpenApi,

    /// <summary>GET /{id}</summary>
    Get,

    /// <summary>PUT /{id}</summary>
    Replace,

    /// <summary>PATCH /{id}</summary>
    Patch,

    /// <summary>DELETE /{id}</summary>
    Archive,

    /// <summary>POST /{id}/restore</summary>
    Restore,
}
