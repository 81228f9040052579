using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace InvoiceApi.Functions.Api.Routing;

/// <summary>
/// A function's routes: method and path template to handler type, written out in <c>Function.cs</c> so a reader goes
/// from the table to the handler with "go to definition". Templates are literal segments and <c>{id}</c>, which matches
/// a UUID only (any other text names no invoice: 404, as a missing one does). HEAD is answered wherever GET is. Each
/// route names the least <see cref="AccountRole"/> that may call it: reads need a viewer, writes say what they need, and
/// a caller whose role is lower gets 403 before the handler runs.
/// Plain string matching, no reflection: Native AOT safe.
/// </summary>
public sealed class RouteTable
{
    private const string IdSegment = "{id}";

    private readonly List<Route> _routes = [];

    /// <summary>Maps <c>GET</c> (and HEAD) of <paramref name="template"/> to <typeparamref name="THandler"/>.</summary>
    public RouteTable Get<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string template, AccountRole needs = AccountRole.Viewer)
        where THandler : class, IRouteHandler => Map<THandler>(HttpMethods.Get, template, needs);

    /// <summary>Maps <c>POST</c> of <paramref name="template"/> to <typeparamref name="THandler"/>.</summary>
    public RouteTable Post<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string template, AccountRole needs)
        where THandler : class, IRouteHandler => Map<THandler>(HttpMethods.Post, template, needs);

    /// <summary>Maps <c>PUT</c> of <paramref name="template"/> to <typeparamref name="THandler"/>.</summary>
    public RouteTable Put<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string template, AccountRole needs)
        where THandler : class, IRouteHandler => Map<THandler>(HttpMethods.Put, template, needs);

    /// <summary>Maps <c>PATCH</c> of <paramref name="template"/> to <typeparamref name="THandler"/>.</summary>
    public RouteTable Patch<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string template, AccountRole needs)
        where THandler : class, IRouteHandler => Map<THandler>(HttpMethods.Patch, template, needs);

    /// <summary>Maps <c>DELETE</c> of <paramref name="template"/> to <typeparamref name="THandler"/>.</summary>
    public RouteTable Delete<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string template, AccountRole needs)
        where THandler : class, IRouteHandler => Map<THandler>(HttpMethods.Delete, template, needs);

    /// <summary>Maps <c>GET /openapi.json</c> to the OpenAPI document embedded in <paramref name="functionAssembly"/> as <c>openapi.json</c>.</summary>
    public RouteTable OpenApi(Assembly functionAssembly)
    {
        var document = new OpenApiDocument(functionAssembly);
        _routes.Add(new Route(HttpMethods.Get, "/openapi.json", Split("/openapi.json"), Needs: null, _ => document, _ => { }));
        return this;
    }

    /// <summary>Registers every mapped handler as a singleton (handlers hold no per-request state).</summary>
    public void AddHandlers(IServiceCollection services)
    {
        foreach (var route in _routes)
        {
            route.Register(services);
        }
    }

    /// <summary>
    /// Runs the handler of the request's method and path, or answers 404 (no route at this path) or 405 with
    /// <c>Allow</c> (the path exists with other methods) as problem+json.
    /// </summary>
    public async Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = Split(request.Path.Value);
        var method = HttpMethods.IsHead(request.Method) ? HttpMethods.Get : request.Method;
        List<string>? allowed = null;
        foreach (var route in _routes)
        {
            if (!route.Matches(segments, out var id))
            {
                continue;
            }
            if (HttpMethods.Equals(route.Method, method))
            {
                if (route.Needs is { } needs && context.GetCaller() is var caller && caller.Role < needs)
                {
                    await ProblemWriter.WriteAsync(context, new Problem(StatusCodes.Status403Forbidden, ProblemTypes.RoleTooLow, "Role too low",
                        $"{request.Method} {route.Template} needs the {needs.Name()} role or higher; this token's role in account '{caller.AccountId}' is {caller.Role.Name()}."));
                    return;
                }
                var handler = route.Resolve(context.RequestServices);
                var result = await handler.HandleAsync(context, new RouteMatch(route.Template, id));
                await result.ExecuteAsync(context);
                return;
            }
            (allowed ??= []).Add(route.Method);
        }
        if (allowed is null)
        {
            await ProblemWriter.WriteAsync(context, new Problem(
                StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", $"Nothing answers {request.Method} {request.Path}."));
            return;
        }
        if (allowed.Contains(HttpMethods.Get))
        {
            allowed.Insert(allowed.IndexOf(HttpMethods.Get) + 1, HttpMethods.Head);
        }
        var allow = string.Join(", ", allowed);
        context.Response.Headers.Allow = allow;
        await ProblemWriter.WriteAsync(context, new Problem(
            StatusCodes.Status405MethodNotAllowed, ProblemTypes.MethodNotAllowed, "Method not allowed",
            $"{request.Path} answers {allow}, not {request.Method}."));
    }

    /// <summary>
    /// The route that answers <paramref name="method"/> on <paramref name="path"/> (HEAD as GET), or null where
    /// <see cref="DispatchAsync"/> answers 404 or 405: lets a test hold a function's OpenAPI paths against its table.
    /// </summary>
    public RouteMatch? Match(string method, PathString path)
    {
        var segments = Split(path.Value);
        var wanted = HttpMethods.IsHead(method) ? HttpMethods.Get : method;
        foreach (var route in _routes)
        {
            if (HttpMethods.Equals(route.Method, wanted) && route.Matches(segments, out var id))
            {
                return new RouteMatch(route.Template, id);
            }
        }
        return null;
    }

    private RouteTable Map<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string method, string template, AccountRole needs)
        where THandler : class, IRouteHandler
    {
        _routes.Add(new Route(method, template, Split(template), needs,
            services => services.GetRequiredService<THandler>(),
            services => services.AddSingleton<THandler>()));
        return this;
    }

    private static string[] Split(string? path) => (path ?? "/").Trim('/').Split('/');

    private sealed record Route(
        string Method,
        string Template,
        string[] Segments,
        AccountRole? Needs,
        Func<IServiceProvider, IRouteHandler> Resolve,
        Action<IServiceCollection> Register)
    {
        public bool Matches(string[] path, out Guid id)
        {
            id = Guid.Empty;
            if (path.Length != Segments.Length)
            {
                return false;
            }
            for (var i = 0; i < path.Length; i++)
            {
                var matched = Segments[i] == IdSegment
                    ? Guid.TryParseExact(path[i], "D", out id)
                    : string.Equals(Segments[i], path[i], StringComparison.Ordinal);
                if (!matched)
                {
                    return false;
                }
            }
            return true;
        }
    }
}
