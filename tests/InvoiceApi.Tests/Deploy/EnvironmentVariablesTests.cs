using System.Text.RegularExpressions;

namespace InvoiceApi.Tests.Deploy;

/// <summary>Every environment variable the shipped code reads is either set by the deploy steps or documented in README.md or docs/.</summary>
public sealed partial class EnvironmentVariablesTests
{
    private static readonly string[] ShippedCode = ["shared", "functions", "tools/Migrator"];

    [Fact]
    public async Task Every_variable_the_code_reads_is_set_by_a_deploy_step_or_documented()
    {
        var read = VariablesReadByCode();
        Assert.Contains("DB_POOL_MAX", read);
        var set = await VariablesSetByDeploysAsync();
        var documents = CloudBuildTests.Documentation();

        var neither = read.Where(name => !set.Contains(name) && !documents.Contains("`" + name, StringComparison.Ordinal)).ToList();

        Assert.True(neither.Count == 0, "Read by the code, but neither set by cloudbuild.yaml nor documented in README.md or docs/: " + string.Join(", ", neither));
    }

    [Fact]
    public async Task Each_deploy_sets_what_a_function_needs_to_start_on_Cloud_Run()
    {
        var set = await VariablesSetByDeploysAsync();

        Assert.Superset(new HashSet<string>(StringComparer.Ordinal)
            { "INSTANCE_CONNECTION_NAME", "DB_NAME", "DB_USER", "DB_PASS", "AUTH_FIREBASE_PROJECT", "DB_POOL_MAX", "GOOGLE_CLOUD_PROJECT" }, set);
        // Emulator-only settings never reach a real deployment.
        Assert.DoesNotContain("AUTH_LOCAL_KEY_ALLOW_ON_CLOUD_RUN_INSECURE", set);
        Assert.DoesNotContain("AUTH_LOCAL_KEY_FILE", set);
    }

    // Names shaped like environment variables in string literals of the code that ships (bin/ and obj/ left out).
    private static HashSet<string> VariablesReadByCode() =>
        ShippedCode.SelectMany(folder => Directory.EnumerateFiles(RepositoryFiles.PathOf(folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains("/bin/", StringComparison.Ordinal) && !file.Contains("/obj/", StringComparison.Ordinal))
            .SelectMany(file => VariableLiteral().Matches(File.ReadAllText(file)).Select(match => match.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

    private static async Task<HashSet<string>> VariablesSetByDeploysAsync()
    {
        var build = CloudBuildFile.Load(RepositoryFiles.Read("cloudbuild.yaml"));
        var overrides = CloudBuildTests.Selected(string.Join(',', RepositoryFiles.Functions().Select(function => function.Folder.ToLowerInvariant())));
        overrides["_ALLOWED_ORIGINS"] = "https://app.example.com";
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (folder, _) in RepositoryFiles.Functions())
        {
            var run = await StepRun.RunAsync(build.Substitute(build.Step($"deploy-{folder.ToLowerInvariant()}").Script, overrides), TestContext.Current.CancellationToken);
            var deploy = run.CallsOf("gcloud").First(call => call is [_, "run", "deploy", ..]);
            set.UnionWith(CloudBuildTests.DeployedEnvironment(deploy).Keys);
            set.UnionWith((StepRun.Flag(deploy, "--update-secrets") ?? "").Split(',').Select(secret => secret.Split('=')[0]));
        }
        return set;
    }

    [GeneratedRegex("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"")]
    private static partial Regex VariableLiteral();
}
