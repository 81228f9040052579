using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using InvoiceApi.Functions.Framework;

namespace InvoiceApi.Functions.Hosting;

/// <summary>Picks the function class to serve: the named target, or the only function in the assembly.</summary>
internal static class FunctionTargetResolver
{
    private const string RootedJustification =
        "The hosting targets root the function assembly (TrimmerRootAssembly), so its types and constructors survive trimming.";

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = RootedJustification)]
    [UnconditionalSuppressMessage("Trimming", "IL2073", Justification = RootedJustification)]
    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = RootedJustification)]
    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)]
    public static Type Resolve(Assembly assembly, string? target)
    {
        var functions = assembly.GetTypes().Where(IsFunction).ToList();
        return target is null ? OnlyFunction(assembly, functions) : NamedFunction(assembly, functions, target);
    }

    private static bool IsFunction(Type type) =>
        type is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false }
        && typeof(IHttpFunction).IsAssignableFrom(type);

    private static Type OnlyFunction(Assembly assembly, List<Type> functions) => functions.Count switch
    {
        1 => functions[0],
        0 => throw new HostConfigurationException(
            $"No class implementing IHttpFunction was found in {assembly.GetName().Name}."),
        _ => throw new HostConfigurationException(
            $"{assembly.GetName().Name} holds several functions ({Names(functions)}); choose one with --target, "
            + "a positional argument or FUNCTION_TARGET."),
    };

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = RootedJustification)]
    private static Type NamedFunction(Assembly assembly, List<Type> functions, string target)
    {
        var type = assembly.GetType(target, throwOnError: false);
        if (type is null)
        {
            throw new HostConfigurationException(
                $"Function target '{target}' was not found in {assembly.GetName().Name}; give the full type name. "
                + $"Functions found: {Names(functions)}.");
        }
        if (!functions.Contains(type))
        {
            throw new HostConfigurationException(
                $"Function target '{target}' is not a non-abstract class implementing IHttpFunction.");
        }
        return type;
    }

    private static string Names(List<Type> functions) =>
        functions.Count == 0 ? "none" : string.Join(", ", functions.Select(f => f.FullName).Order(StringComparer.Ordinal));
}
