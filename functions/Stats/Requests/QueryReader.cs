using System.Globalization;
using InvoiceApi.Functions.Hosting.Problems;
using Microsoft.AspNetCore.Http;
using Stats.Problems;

namespace Stats.Requests;

/// <summary>
/// Reads an operation's query parameters and collects every problem with them, per parameter, so one 400 names them
/// all: an unknown parameter, a repeated one, an empty or malformed value, a number out of range.
/// </summary>
internal sealed class QueryReader
{
    private readonly IQueryCollection _query;
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    internal QueryReader(IQueryCollection query, params string[] known)
    {
        _query = query;
        foreach (var name in query.Keys.Where(name => !known.Contains(name, StringComparer.Ordinal)))
        {
            Fail(name, $"Unknown parameter; this operation reads {string.Join(", ", known)}.");
        }
    }

    internal bool HasErrors => _errors.Count > 0;

    internal Problem Problem() =>
        StatsProblems.BadQuery(_errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal));

    internal void Fail(string name, string message)
    {
        if (!_errors.TryGetValue(name, out var messages))
        {
            _errors[name] = messages = [];
        }
        messages.Add(message);
    }

    /// <summary>The one value of <paramref name="name"/>, or null when it is absent (a repeated or empty value is an error).</summary>
    internal string? Text(string name)
    {
        if (!_query.TryGetValue(name, out var values))
        {
            return null;
        }
        if (values.Count != 1)
        {
            Fail(name, "Give this parameter once.");
            return null;
        }
        if (string.IsNullOrWhiteSpace(values[0]))
        {
            Fail(name, "Must not be empty; leave the parameter out to use its default.");
            return null;
        }
        return values[0]!.Trim();
    }

    /// <summary>A date <c>YYYY-MM-DD</c> from 1900-01-01 to 2999-12-31, or null when absent or wrong.</summary>
    internal DateOnly? Date(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || date.Year is < 1900 or > 2999)
        {
            Fail(name, "Must be a date YYYY-MM-DD between 1900-01-01 and 2999-12-31.");
            return null;
        }
        return date;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="fallback"/> when absent.</summary>
    internal int Number(string name, int fallback, int min, int max)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            Fail(name, $"Must be a whole number from {min} to {max}.");
            return fallback;
        }
        return number;
    }

    /// <summary>One of <paramref name="choices"/>, or <paramref name="fallback"/> when absent or wrong.</summary>
    internal string Choice(string name, string fallback, params string[] choices)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }
        if (!choices.Contains(text, StringComparer.Ordinal))
        {
            Fail(name, $"Must be one of {string.Join(", ", choices)}.");
            return fallback;
        }
        return text;
    }
}
