using System.Text;

namespace InvoiceApi.Tools.Benchmarks.Report;

/// <summary>The one table the benchmark prints: a row per figure, a column per build, the target and where the time goes.</summary>
internal sealed class ResultTable
{
    private readonly List<Row> _rows = [];
    private readonly List<(string Name, string Value)> _setup = [];

    internal sealed record Row(string Figure, string Target)
    {
        internal Dictionary<Build, string> Values { get; } = [];

        internal string Shared { get; set; } = "";

        internal string Note { get; set; } = "";
    }

    /// <summary>A line of the machine and setup description above the figures.</summary>
    internal void Describe(string name, string value) => _setup.Add((name, value));

    /// <summary>The row named <paramref name="figure"/>, created in order of first use.</summary>
    internal Row For(string figure, string target = "")
    {
        var row = _rows.FirstOrDefault(existing => existing.Figure == figure);
        if (row is null)
        {
            row = new Row(figure, target);
            _rows.Add(row);
        }
        return row;
    }

    internal void Set(string figure, Build build, string value, string target = "") => For(figure, target).Values[build] = value;

    internal string Render(IReadOnlyList<Build> builds)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in _setup)
        {
            text.AppendLine($"{name}: {value}  ");
        }
        text.AppendLine();
        var header = new List<string> { "figure" };
        header.AddRange(builds.Select(build => build == Build.Aot ? "Native AOT" : "JIT"));
        header.AddRange(["target", "where the time goes"]);
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var row in _rows)
        {
            var cells = new List<string> { row.Figure };
            // A figure that does not depend on the build (pgbench) sits in the first column only.
            cells.AddRange(builds.Select((build, index) => row.Values.TryGetValue(build, out var value) ? value
                : row.Shared.Length > 0 ? (index == 0 ? row.Shared : "") : "—"));
            cells.AddRange([row.Target, row.Note]);
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
        return text.ToString();
    }
}
