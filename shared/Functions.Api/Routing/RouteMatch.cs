namespace InvoiceApi.Functions.Api.Routing;

/// <summary>The route a request matched: its template and, when the template has <c>{id}</c>, the UUID the path held.</summary>
/// <param name="Template">The matched template, for example <c>/{id}/restore</c>.</param>
/// <param name="Id">The UUID in place of <c>{id}</c>, or <see cref="Guid.Empty"/> when the template has none.</param>
public readonly record struct RouteMatch(string Template, Guid Id);
