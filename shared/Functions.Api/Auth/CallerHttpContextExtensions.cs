using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api.Auth;

/// <summary>Reads the authenticated caller the host attached to the request.</summary>
public static class CallerHttpContextExtensions
{
    /// <summary>The caller of this request; the host has already answered 401 to requests without one.</summary>
    /// <exception cref="InvalidOperationException">Called on a path the host leaves open (health, OpenAPI).</exception>
    public static Caller GetCaller(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<Caller>()
            ?? throw new InvalidOperationException("This request has no authenticated caller; open paths must not read one.");
    }
}
