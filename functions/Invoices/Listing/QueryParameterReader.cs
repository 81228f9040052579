using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Invoices.Listing;

/// <summary>
/// Reads typed query parameters and collects one message per bad parameter, so a client learns every mistake at once.
/// Names it was never asked about are reported as unknown: a typo must not silently widen a list.
/// </summary>
internal sealed class QueryParameterReader(IQueryCollection query)
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    internal bool HasErrors => _errors.Count > 0;

    internal void Fail(string name, string message)
    {
        if (!_errors.TryGetValue(name, out var messages))
        {
            _errors[name] = messages = [];
        }
        messages.Add(message);
    }

    /// <summary>The errors so far, plus one for every parameter nobody read.</summary>
    internal IReadOnlyDictionary<string, IReadOnlyList<string>> Errors()
    {
        foreach (var name in query.Keys.Where(name => !_known.Contains(name)))
        {
            Fail(name, $"Unknown query parameter. Accepted: {string.Join(", ", _known.Order(StringComparer.Ordinal))}.");
        }
        return _errors.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value, StringComparer.Ordinal);
    }

    /// <summary>The one value of <paramref name="name"/>, or null when absent; given twice or empty is an error.</summary>
    internal string? Text(string name, int maxLength = 200)
    {
        _known.Add(name);
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }
        if (values.Count != 1)
        {
            Fail(name, "Give this parameter once.");
            return null;
        }
        var value = values[0]?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            Fail(name, "Must not be empty; leave the parameter out instead.");
            return null;
        }
        if (value.Length > maxLength)
        {
            Fail(name, $"At most {maxLength} characters.");
            return null;
        }
        // PostgreSQL's text cannot hold it: refused here, or the database's refusal would read as an invalid invoice.
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            Fail(name, "Must not contain NUL characters (U+0000).");
            return null;
        }
        return value;
    }

    /// <summary>Every value of a multi-valued parameter, from repeats and comma lists (<c>status=paid,void&amp;status=pending</c>).</summary>
    internal IReadOnlyList<string> List(string name, IReadOnlyList<string> allowed)
    {
        _known.Add(name);
        if (!query.TryGetValue(name, out var values))
        {
            return [];
        }
        var items = values.SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries)).ToList();
        foreach (var item in items.Where(item => !allowed.Contains(item)))
        {
            Fail(name, $"'{item}' is not one of {string.Join(", ", allowed)}.");
        }
        return items.Where(allowed.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    internal string? OneOf(string name, IReadOnlyList<string> allowed)
    {
        var value = Text(name);
        if (value is not null && !allowed.Contains(value))
        {
            Fail(name, $"'{value}' is not one of {string.Join(", ", allowed)}.");
            return null;
        }
        return value;
    }

    internal DateOnly? Date(string name)
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        Fail(name, "Must be a date YYYY-MM-DD.");
        return null;
    }

    internal decimal? Decimal(string name)
    {
        var value = Text(name, maxLength: 32);
        if (value is null)
        {
            return null;
        }
        if (decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        Fail(name, "Must be a decimal number such as 1234.50.");
        return null;
    }

    internal bool Flag(string name)
    {
        var value = Text(name, maxLength: 5);
        if (value is null)
        {
            return false;
        }
        if (bool.TryParse(value, out var flag))
        {
            return flag;
        }
        Fail(name, "Must be true or false.");
        return false;
    }

    internal int Integer(string name, int fallback, int min, int max)
    {
        var value = Text(name, maxLength: 11);
        if (value is null)
        {
            return fallback;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }
        Fail(name, $"Must be a whole number from {min} to {max}.");
        return fallback;
    }
}
