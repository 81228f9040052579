using System.Buffers;
using System.Text.Json;

namespace Invoices;

/// <summary>RFC 7396 JSON merge patch: members of the patch replace the target's, null removes one, objects merge recursively.</summary>
internal static class JsonMergePatch
{
    /// <summary>
    /// The patched document. <paramref name="dropFromTarget"/> names top-level target members to leave out unless the
    /// patch sets them; <paramref name="keepNull"/> names top-level members whose null stays in the result instead of
    /// removing them, for the reader to refuse (a field that cannot be cleared).
    /// </summary>
    internal static JsonDocument Apply(JsonElement target, JsonElement patch, IReadOnlySet<string> dropFromTarget, IReadOnlySet<string> keepNull)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, target, patch, dropFromTarget, keepNull);
        }
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static void Write(Utf8JsonWriter json, JsonElement? target, JsonElement patch, IReadOnlySet<string> dropFromTarget, IReadOnlySet<string> keepNull)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            patch.WriteTo(json);
            return;
        }
        var targetObject = target is { ValueKind: JsonValueKind.Object } t ? t : (JsonElement?)null;
        json.WriteStartObject();
        foreach (var member in targetObject?.EnumerateObject() ?? default)
        {
            if (!patch.TryGetProperty(member.Name, out _) && !dropFromTarget.Contains(member.Name))
            {
                member.WriteTo(json);
            }
        }
        foreach (var member in patch.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Null && !keepNull.Contains(member.Name))
            {
                continue;
            }
            json.WritePropertyName(member.Name);
            var current = targetObject is { } o && o.TryGetProperty(member.Name, out var value) ? value : (JsonElement?)null;
            Write(json, current, member.Value, EmptySet, EmptySet);
        }
        json.WriteEndObject();
    }

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();
}
