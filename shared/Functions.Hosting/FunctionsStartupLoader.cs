using System.Reflection;

namespace InvoiceApi.Functions.Hosting;

/// <summary>Finds the startups named on the assembly and on the function class, in the framework's order.</summary>
internal static class FunctionsStartupLoader
{
    public static IReadOnlyList<FunctionsStartup> Load(Assembly assembly, Type functionType) =>
        assembly.GetCustomAttributes<FunctionsStartupAttribute>()
            .Concat(functionType.GetCustomAttributes<FunctionsStartupAttribute>(inherit: true))
            .DistinctBy(attribute => attribute.StartupType)
            .OrderBy(attribute => attribute.Order)
            .ThenBy(attribute => attribute.StartupType.FullName, StringComparer.Ordinal)
            .Select(Create)
            .ToList();

    private static FunctionsStartup Create(FunctionsStartupAttribute attribute) =>
        Activator.CreateInstance(attribute.StartupType) as FunctionsStartup
        ?? throw new HostConfigurationException(
            $"{attribute.StartupType.FullName} is named by [FunctionsStartup] but does not derive from FunctionsStartup.");
}
