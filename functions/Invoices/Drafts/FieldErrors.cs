namespace Invoices;

/// <summary>Collects messages per JSON field, in the shape the validation problem's <c>errors</c> member has.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _messages = new(StringComparer.Ordinal);

    internal bool IsEmpty => _messages.Count == 0;

    internal void Add(string field, string message)
    {
        if (!_messages.TryGetValue(field, out var list))
        {
            list = [];
            _messages[field] = list;
        }
        list.Add(message);
    }

    internal IReadOnlyDictionary<string, IReadOnlyList<string>> ToDictionary() =>
        _messages.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value.AsReadOnly(), StringComparer.Ordinal);
}
