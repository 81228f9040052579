using System.Text.Json;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// Turns one line a function wrote into readable lines: a Cloud Logging JSON object becomes <c>INFO  message</c>,
/// with its exception indented on the lines after; anything else is kept as it is.
/// </summary>
internal static class LogLineRenderer
{
    private const string ContinuationIndent = "      ";

    internal static IReadOnlyList<string> Render(string line)
    {
        if (!line.StartsWith('{') || ReadEntry(line) is not { } entry)
        {
            return [line];
        }
        var (severity, message, exception) = entry;
        var messageLines = message.Split('\n');
        var rendered = new List<string> { $"{ShortSeverity(severity),-5} {messageLines[0]}" };
        rendered.AddRange(messageLines.Skip(1).Select(text => ContinuationIndent + text));
        if (exception is not null)
        {
            rendered.AddRange(exception.Split('\n').Select(text => ContinuationIndent + text.TrimEnd('\r')));
        }
        return rendered;
    }

    private static (string Severity, string Message, string? Exception)? ReadEntry(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            return (Text(root, "severity") ?? "DEFAULT", message.GetString()!, Text(root, "exception"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Five characters at most, so messages line up.
    private static string ShortSeverity(string severity) => severity switch
    {
        "WARNING" => "WARN",
        "CRITICAL" => "CRIT",
        "DEFAULT" => "",
        _ => severity,
    };
}
