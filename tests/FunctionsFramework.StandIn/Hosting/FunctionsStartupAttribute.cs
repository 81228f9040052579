using System.Reflection;

namespace Google.Cloud.Functions.Hosting;

/// <summary>
/// Names a <see cref="FunctionsStartup"/> for the functions of an assembly, or for one function class. Several may be given;
/// they run by <see cref="Order"/>, then by the startup type's full name.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class, AllowMultiple = true)]
public class FunctionsStartupAttribute : Attribute
{
    /// <summary>Names <paramref name="startupType"/>.</summary>
    public FunctionsStartupAttribute(Type startupType) => StartupType = startupType;

    /// <summary>The <see cref="FunctionsStartup"/> type.</summary>
    public Type StartupType { get; set; }

    /// <summary>Lower runs first; 0 by default.</summary>
    public int Order { get; set; }

    /// <summary>The startup types named on <paramref name="assembly"/> and on <paramref name="target"/> (when given), in running order.</summary>
    public static IEnumerable<Type> GetStartupTypes(Assembly assembly, Type? target)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var named = assembly.GetCustomAttributes<FunctionsStartupAttribute>()
            .Concat(target?.GetCustomAttributes<FunctionsStartupAttribute>(inherit: true) ?? []);
        return named.OrderBy(attribute => attribute.Order)
            .ThenBy(attribute => attribute.StartupType.FullName, StringComparer.Ordinal)
            .Select(attribute => attribute.StartupType)
            .ToList();
    }
}
