using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api.Requests;

/// <summary>
/// Reads an operation's query parameters, typed, and collects every problem per parameter, so one 400 names them all:
/// a repeated, empty, overlong or malformed value, a number out of range, and (in <see cref="Errors"/>) every
/// parameter the operation never asked for: a typo must not silently widen a list.
/// </summary>
/// <remarks>Read every parameter the operation takes before asking for <see cref="Errors"/>: the names read are the known ones.</remarks>
public sealed class QueryReader(IQueryCollection query)
{
    /// <summary>The longest value <see cref="Text"/> takes unless told otherwise.</summary>
    public const int DefaultMaxLength = 200;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _known = new(StringComparer.Ordinal);

    /// <summary>True when any parameter is wrong, unknown ones included.</summary>
    public bool HasErrors => Errors().Count > 0;

    /// <summary>The messages per parameter: those found while reading, plus one for every parameter nobody read.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors()
    {
        foreach (var name in query.Keys.Where(name => !_known.Contains(name) && !_errors.ContainsKey(name)))
        {
            Fail(name, _known.Count == 0
                ? "This route takes no query parameters."
                : $"Unknown parameter; this operation reads {string.Join(", ", _known)}.");
        }
        return _errors.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value, StringComparer.Ordinal);
    }

    /// <summary>Records a problem with <paramref name="name"/> (a rule between parameters, a value the caller checks itself).</summary>
    public void Fail(string name, string message)
    {
        if (!_errors.TryGetValue(name, out var messages))
        {
            _errors[name] = messages = [];
        }
        messages.Add(message);
    }

    /// <summary>The one value of <paramref name="name"/>, trimmed, or null when absent; repeated, empty, too long or holding NUL is an error.</summary>
    public string? Text(string name, int maxLength = DefaultMaxLength)
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
            Fail(name, "Must not be empty; leave the parameter out to use its default.");
            return null;
        }
        if (value.Length > maxLength)
        {
            Fail(name, $"At most {maxLength} characters.");
            return null;
        }
        // PostgreSQL's text cannot hold it: refused here, or the database's refusal would read as something else.
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            Fail(name, "Must not contain NUL characters (U+0000).");
            return null;
        }
        return value;
    }

    /// <summary>Every value of a multi-valued parameter, from repeats and comma lists (<c>status=paid,void&amp;status=pending</c>), sorted, each once.</summary>
    public IReadOnlyList<string> List(string name, IReadOnlyList<string> allowed)
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

    /// <summary>One of <paramref name="allowed"/>, or null when absent or wrong.</summary>
    public string? OneOf(string name, IReadOnlyList<string> allowed)
    {
        var value = Text(name);
        if (value is not null && !allowed.Contains(value))
        {
            Fail(name, $"'{value}' is not one of {string.Join(", ", allowed)}.");
            return null;
        }
        return value;
    }

    /// <summary>A date <c>YYYY-MM-DD</c>, within <paramref name="earliest"/> and <paramref name="latest"/> when given; null when absent or wrong.</summary>
    public DateOnly? Date(string name, DateOnly? earliest = null, DateOnly? latest = null)
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && !(date < earliest) && !(date > latest))
        {
            return date;
        }
        Fail(name, earliest is { } from && latest is { } to
            ? $"Must be a date YYYY-MM-DD from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}."
            : "Must be a date YYYY-MM-DD.");
        return null;
    }

    /// <summary>A decimal number such as <c>1234.50</c>, or null when absent or wrong.</summary>
    public decimal? DecimalNumber(string name)
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

    /// <summary><c>true</c> or <c>false</c>; false when absent or wrong.</summary>
    public bool Flag(string name)
    {
        var value = Text(name, maxLength: 5);
        if (value is null)
        {
            return false;
        }
        // Exactly true or false: query values are case-sensitive, enums and flags alike (bool.TryParse would take TRUE).
        if (value is "true" or "false")
        {
            return value == "true";
        }
        Fail(name, "Must be true or false.");
        return false;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="fallback"/> when absent or wrong.</summary>
    public int WholeNumber(string name, int fallback, int min, int max)
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
