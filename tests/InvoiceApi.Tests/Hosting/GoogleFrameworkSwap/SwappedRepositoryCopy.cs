using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using InvoiceApi.Tests.Deploy;

namespace InvoiceApi.Tests.Hosting.GoogleFrameworkSwap;

/// <summary>
/// A copy of what the functions build from (their projects and the shared libraries they reference, the build settings)
/// with our host swapped for the stand-in of Google's packages in tests/FunctionsFramework.StandIn, exactly as moving to
/// the real packages would: each reference to shared/Functions.Hosting (and the import of its targets) points at the
/// stand-in, and the lines <c>using InvoiceApi.Functions.Framework;</c> and <c>using InvoiceApi.Functions.Hosting;</c>
/// name Google's namespaces. Nothing else is edited; shared/Functions.Hosting is not copied at all.
/// Each project is built once, on first use, and shared by the tests that run it.
/// </summary>
public sealed partial class SwappedRepositoryCopy : IDisposable
{
    public const string StandInFolder = "tests/FunctionsFramework.StandIn";
    private const string OurHostProject = "shared/Functions.Hosting/Functions.Hosting.csproj";
    private const string OurHostTargets = "shared/Functions.Hosting/build/InvoiceApi.Functions.Hosting.targets";
    private const string StandInHostProject = StandInFolder + "/Hosting/Google.Cloud.Functions.Hosting.csproj";
    private const string StandInHostTargets = StandInFolder + "/Hosting/build/Google.Cloud.Functions.Hosting.targets";

    /// <summary>The using lines swapped, ours to Google's; no other line of code changes.</summary>
    public static readonly IReadOnlyDictionary<string, string> SwappedUsings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["using InvoiceApi.Functions.Framework;"] = "using Google.Cloud.Functions.Framework;",
        ["using InvoiceApi.Functions.Hosting;"] = "using Google.Cloud.Functions.Hosting;",
    };

    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", "nuget.config", ".editorconfig"];
    private static readonly string[] FunctionProjects = ["functions/Invoices/Invoices.csproj", "functions/Stats/Stats.csproj"];

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("framework-swap-");
    private readonly ConcurrentDictionary<string, Lazy<Task<ProjectBuild>>> _builds = new(StringComparer.Ordinal);
    private readonly List<SwapEdit> _edits = [];
    private readonly List<string> _projectFolders = ProjectFolders();

    public SwappedRepositoryCopy()
    {
        foreach (var file in RootFiles.Where(file => File.Exists(RepositoryFiles.PathOf(file))))
        {
            File.Copy(RepositoryFiles.PathOf(file), PathOf(file));
        }
        CopyFolder(StandInFolder);
        foreach (var folder in _projectFolders)
        {
            CopyFolder(folder);
            CopyDirectoryFilesAbove(folder);
        }
        Swap();
    }

    /// <summary>The folder holding the copy.</summary>
    public string Root => _root.FullName;

    /// <summary>Every edit the swap made, one line each.</summary>
    public IReadOnlyList<SwapEdit> Edits => _edits;

    /// <summary>The repository-relative folders copied: both functions and every project they reference, less our host.</summary>
    public IReadOnlyList<string> CopiedProjectFolders => _projectFolders;

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Builds <paramref name="project"/> (repository-relative .csproj) in the copy, once.</summary>
    public Task<ProjectBuild> BuildAsync(string project) =>
        _builds.GetOrAdd(project, _ => new Lazy<Task<ProjectBuild>>(() => RunBuildAsync(project))).Value;

    public void Dispose() => _root.Delete(recursive: true);

    private async Task<ProjectBuild> RunBuildAsync(string project)
    {
        var (exitCode, output) = await ProcessRun.RunAsync("nice", ["-n", "10", "dotnet", "build", project, "-nologo", "-c", "Debug"], Root, [], CancellationToken.None);
        var name = Path.GetFileNameWithoutExtension(project);
        var executable = Path.Combine(PathOf(Path.GetDirectoryName(project)!), "bin", "Debug", "net10.0", name);
        return new ProjectBuild(project, exitCode, output, executable);
    }

    // Both functions and, transitively, every project they reference, except our host (the stand-in replaces it).
    private static List<string> ProjectFolders()
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(FunctionProjects);
        while (pending.TryDequeue(out var project))
        {
            if (project == OurHostProject || !found.Add(Path.GetDirectoryName(project)!))
            {
                continue;
            }
            foreach (Match reference in ProjectReference().Matches(RepositoryFiles.Read(project)))
            {
                pending.Enqueue(Relative(Path.GetDirectoryName(RepositoryFiles.PathOf(project))!, reference.Groups["path"].Value, RepositoryFiles.Root));
            }
        }
        return [.. found];
    }

    private void Swap()
    {
        foreach (var project in Directory.GetFiles(Root, "*.csproj", SearchOption.AllDirectories))
        {
            SwapProject(project);
        }
        foreach (var source in Directory.GetFiles(Root, "*.cs", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(source);
            var changed = false;
            for (var i = 0; i < lines.Length; i++)
            {
                if (SwappedUsings.TryGetValue(lines[i], out var google))
                {
                    _edits.Add(new SwapEdit(Path.GetRelativePath(Root, source), lines[i], google));
                    lines[i] = google;
                    changed = true;
                }
            }
            if (changed)
            {
                File.WriteAllLines(source, lines);
            }
        }
    }

    private void SwapProject(string project)
    {
        var directory = Path.GetDirectoryName(project)!;
        var text = File.ReadAllText(project);
        var swapped = ReferenceOrImport().Replace(text, match =>
        {
            var target = Relative(directory, match.Groups["path"].Value, Root);
            var replacement = target switch
            {
                OurHostProject => StandInHostProject,
                OurHostTargets => StandInHostTargets,
                _ => null,
            };
            if (replacement is null)
            {
                return match.Value;
            }
            var path = Path.GetRelativePath(directory, PathOf(replacement)).Replace('\\', '/');
            var edited = match.Value.Replace(match.Groups["path"].Value, path, StringComparison.Ordinal);
            _edits.Add(new SwapEdit(Path.GetRelativePath(Root, project), match.Value, edited));
            return edited;
        });
        if (swapped != text)
        {
            File.WriteAllText(project, swapped);
        }
    }

    private void CopyFolder(string relative)
    {
        var source = RepositoryFiles.PathOf(relative);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var inside = Path.GetRelativePath(source, file);
            if (inside.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }
            var destination = PathOf(Path.Combine(relative, inside));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    // The layered Directory.*.props/targets between a project's folder and the root (functions/, shared/).
    private void CopyDirectoryFilesAbove(string folder)
    {
        for (var parent = Path.GetDirectoryName(folder); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            foreach (var file in Directory.GetFiles(RepositoryFiles.PathOf(parent), "Directory.*"))
            {
                File.Copy(file, PathOf(Path.Combine(parent, Path.GetFileName(file))), overwrite: true);
            }
        }
    }

    // A repository-relative path with '/' for a path written in a project file of directory.
    private static string Relative(string directory, string path, string root) =>
        Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(directory, path.Replace('\\', '/')))).Replace('\\', '/');

    [GeneratedRegex(@"<ProjectReference\s+Include=""(?<path>[^""]+)""")]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"<(?:ProjectReference\s+Include|Import\s+Project)=""(?<path>[^""]+)""")]
    private static partial Regex ReferenceOrImport();
}

/// <summary>One line the swap changed in <paramref name="File"/> (relative to the copy).</summary>
public sealed record SwapEdit(string File, string Before, string After);

/// <summary>One <c>dotnet build</c> in the copy: its exit code, everything it wrote, and the function's executable (apphost).</summary>
public sealed record ProjectBuild(string Project, int ExitCode, string Output, string Executable);
