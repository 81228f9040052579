using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace InvoiceApi.Tests.Deploy;

/// <summary>One step of cloudbuild.yaml, as Cloud Build reads it.</summary>
internal sealed record CloudBuildStep(string Id, string Image, string? Entrypoint, IReadOnlyList<string> Args, IReadOnlyList<string>? WaitFor)
{
    /// <summary>The bash script of a <c>bash -c</c> step, or the arguments joined for any other step.</summary>
    public string Script => Entrypoint == "bash" && Args.Count == 2 && Args[0] == "-c" ? Args[1] : string.Join(' ', Args);
}

/// <summary>cloudbuild.yaml parsed with YamlDotNet, with Cloud Build's substitution and step-ordering rules.</summary>
internal sealed partial class CloudBuildFile
{
    private CloudBuildFile(IReadOnlyDictionary<string, string> substitutions, IReadOnlyList<CloudBuildStep> steps, YamlMappingNode root)
    {
        Substitutions = substitutions;
        Steps = steps;
        Root = root;
    }

    public IReadOnlyDictionary<string, string> Substitutions { get; }

    public IReadOnlyList<CloudBuildStep> Steps { get; }

    public YamlMappingNode Root { get; }

    public static CloudBuildFile Load(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        var substitutions = ((YamlMappingNode)root["substitutions"]).Children
            .ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value ?? "", StringComparer.Ordinal);
        var steps = ((YamlSequenceNode)root["steps"]).Children.Cast<YamlMappingNode>().Select(ReadStep).ToList();
        return new CloudBuildFile(substitutions, steps, root);
    }

    public CloudBuildStep Step(string id) =>
        Steps.SingleOrDefault(step => step.Id == id) ?? throw new Xunit.Sdk.XunitException($"cloudbuild.yaml has no step '{id}'.");

    /// <summary>Every step <paramref name="id"/> waits for, directly or through others (no waitFor: every earlier step).</summary>
    public IReadOnlySet<string> StepsBefore(string id)
    {
        var before = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([id]);
        while (pending.TryPop(out var current))
        {
            foreach (var dependency in DirectDependencies(current).Where(before.Add))
            {
                pending.Push(dependency);
            }
        }
        return before;
    }

    /// <summary>The text Cloud Build runs: <c>${_X}</c> and built-ins replaced (defaults overridden by <paramref name="overrides"/>), then <c>$$</c> to <c>$</c>.</summary>
    public string Substitute(string text, IReadOnlyDictionary<string, string> overrides)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["PROJECT_ID"] = "demo-project", ["BUILD_ID"] = "build-1" };
        foreach (var (key, value) in Substitutions.Concat(overrides))
        {
            values[key] = value;
        }
        string Expand(string input) => Variable().Replace(input, match =>
            values.TryGetValue(match.Groups[1].Value, out var value)
                ? Expand(value)
                : throw new Xunit.Sdk.XunitException($"cloudbuild.yaml uses ${{{match.Groups[1].Value}}}, which is neither a substitution nor a built-in."));
        return Expand(text).Replace("$$", "$", StringComparison.Ordinal);
    }

    private IEnumerable<string> DirectDependencies(string id)
    {
        var index = Steps.ToList().FindIndex(step => step.Id == id);
        var waitFor = Steps[index].WaitFor;
        if (waitFor is null)
        {
            return Steps.Take(index).Select(step => step.Id);
        }
        return waitFor.Where(dependency => dependency != "-");
    }

    private static CloudBuildStep ReadStep(YamlMappingNode step)
    {
        string? Scalar(string key) => step.Children.TryGetValue(key, out var node) ? ((YamlScalarNode)node).Value : null;
        IReadOnlyList<string>? List(string key) => step.Children.TryGetValue(key, out var node)
            ? ((YamlSequenceNode)node).Children.Select(item => ((YamlScalarNode)item).Value ?? "").ToList()
            : null;
        return new CloudBuildStep(
            Scalar("id") ?? throw new Xunit.Sdk.XunitException("A step of cloudbuild.yaml has no id."),
            Scalar("name") ?? throw new Xunit.Sdk.XunitException("A step of cloudbuild.yaml has no image (name)."),
            Scalar("entrypoint"),
            List("args") ?? [],
            List("waitFor"));
    }

    // ${NAME} not preceded by another $ ($${...} is a literal for bash).
    [GeneratedRegex(@"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
