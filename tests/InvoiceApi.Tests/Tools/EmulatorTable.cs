using System.Globalization;
using System.Text.RegularExpressions;

namespace InvoiceApi.Tests.Tools;

/// <summary>The table the emulator prints once it is ready, read back from its output.</summary>
public sealed partial class EmulatorTable
{
    private EmulatorTable(IReadOnlyList<string> lines) => Lines = lines;

    /// <summary>The table's lines, from its heading to its last row.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>Reads the table from the emulator's stdout; throws when it was not printed.</summary>
    public static EmulatorTable From(IReadOnlyList<string> output)
    {
        var start = output.ToList().FindIndex(line => line.StartsWith("Invoice API running locally", StringComparison.Ordinal));
        Assert.True(start >= 0, "The emulator printed no table.\n" + string.Join('\n', output));
        var end = output.ToList().FindIndex(start, line => line.StartsWith("  data ", StringComparison.Ordinal));
        Assert.True(end > start, "The table has no data row.\n" + string.Join('\n', output));
        return new EmulatorTable(output.Skip(start).Take(end - start + 1).ToList());
    }

    /// <summary>The value of the row labelled <paramref name="label"/> (the first one).</summary>
    public string? Row(string label) =>
        Lines.Select(line => RowPattern().Match(line)).Where(match => match.Success && match.Groups[1].Value == label)
            .Select(match => match.Groups[2].Value).FirstOrDefault();

    /// <summary>The token printed for <paramref name="caller"/>: the line under its <c>token</c> row.</summary>
    public string Token(string caller)
    {
        var index = Lines.ToList().FindIndex(line => line.StartsWith($"  token      {caller} ", StringComparison.Ordinal));
        Assert.True(index >= 0 && index + 1 < Lines.Count, $"No token row for {caller}.\n{string.Join('\n', Lines)}");
        return Lines[index + 1].Trim();
    }

    /// <summary>The directory of the PostgreSQL socket and the server's TCP port, from the database row.</summary>
    public (string SocketDirectory, int Port) Database()
    {
        var match = DatabasePattern().Match(Row("database") ?? "");
        Assert.True(match.Success, $"Unreadable database row.\n{string.Join('\n', Lines)}");
        return (match.Groups[1].Value, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^  (\S+)\s+(.*)$")]
    private static partial Regex RowPattern();

    [GeneratedRegex(@" at (\S+) \(TCP 127\.0\.0\.1:(\d+)\)")]
    private static partial Regex DatabasePattern();
}
