using System.Reflection;
using System.Text.Json;
using InvoiceApi.Data;

namespace InvoiceApi.Tests.Data;

/// <summary>
/// Dependencies point one way: functions use the shared libraries, the data library uses no web host, and the migrator (a
/// console job) ships without ASP.NET Core or JwtBearer.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly string[] WebHost = ["Microsoft.AspNetCore", "Microsoft.IdentityModel", "System.IdentityModel", "InvoiceApi.Functions"];

    [Fact]
    public void The_data_library_references_no_web_host()
    {
        var references = typeof(ReadOnlyQuery).Assembly.GetReferencedAssemblies().Select(name => name.Name!).ToList();

        Assert.DoesNotContain(references, name => WebHost.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_migrators_build_output_holds_no_asp_net_core_or_jwt_bearer()
    {
        // The migrator's own dependency manifest, in its build output of the configuration the tests were built with.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testOutput.Name, testOutput.Parent!.Name);
        var manifest = Path.Join(RepositoryRoot(), "tools", "Migrator", "bin", configuration, framework, "InvoiceApi.Migrator.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(manifest));

        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(library => library.Name).ToList();

        Assert.Contains(libraries, name => name.StartsWith("Npgsql/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, name => WebHost.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) || name.Contains("JwtBearer", StringComparison.Ordinal));
    }

    [Fact]
    public void No_function_references_another()
    {
        var invoices = typeof(Invoices.Startup).Assembly;
        var stats = typeof(Stats.Startup).Assembly;

        Assert.DoesNotContain(References(invoices), name => name == stats.GetName().Name);
        Assert.DoesNotContain(References(stats), name => name == invoices.GetName().Name);
    }

    private static IEnumerable<string?> References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(name => name.Name);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "InvoiceApi.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No InvoiceApi.slnx above {AppContext.BaseDirectory}.");
    }
}
