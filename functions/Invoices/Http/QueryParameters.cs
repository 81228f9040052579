using Invoices.Input;
using Microsoft.AspNetCore.Http;

namespace Invoices.Http;

/// <summary>Checks the query string of the single-invoice routes: only the named parameters, each at most once.</summary>
internal static class QueryParameters
{
    /// <summary>Errors per parameter: unknown or repeated parameters; empty when the query is acceptable.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> Unexpected(IQueryCollection query, params string[] allowed)
    {
        var errors = new FieldErrors();
        foreach (var (name, values) in query)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(name, allowed.Length == 0 ? "This route takes no query parameters." : $"Unknown parameter; this route takes {string.Join(", ", allowed)}.");
            }
            else if (values.Count > 1)
            {
                errors.Add(name, "Give this parameter once.");
            }
        }
        return errors.ToDictionary();
    }

    /// <summary>A boolean parameter: absent is false; <c>true</c> or <c>false</c>; anything else is null (an error).</summary>
    internal static bool? Flag(IQueryCollection query, string name) => query[name].ToString() switch
    {
        "" when !query.ContainsKey(name) => false,
        "true" => true,
        "false" => false,
        _ => null,
    };
}
