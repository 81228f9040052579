namespace Invoices.Routing;

/// <summary>Which operation a request asks for, its invoice id when the path names one, and the methods its path allows.</summary>
internal readonly record struct RouteMatch(InvoiceRoute Route, Guid Id, string Allowed);
