using InvoiceApi.Tests.Deploy;

namespace InvoiceApi.Tests.OpenApi;

/// <summary>
/// Both functions' OpenAPI documents pass Redocly's lint (its recommended rules, as redocly.yaml at the repository root
/// sets them): structure valid for OpenAPI 3.1, an operationId on every operation, servers, declared responses.
/// </summary>
public sealed class OpenApiLintTests
{
    /// <summary>The linter, pinned: npx fetches this exact version from the npm registry once and caches it.</summary>
    public const string Redocly = "@redocly/cli@2.77.0";

    [Fact]
    public async Task Both_documents_lint_clean()
    {
        var (exitCode, output) = await ProcessRun.RunAsync(
            "npx", ["--yes", Redocly, "lint", "--config", "redocly.yaml", OpenApiDescription.Invoices.Path, OpenApiDescription.Stats.Path],
            RepositoryFiles.Root, new Dictionary<string, string?> { ["NO_COLOR"] = "1", ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
            TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, $"redocly lint failed (exit {exitCode}):\n{output}");
        Assert.DoesNotContain("Warning was generated", output, StringComparison.Ordinal);
    }
}
