using System.Diagnostics.CodeAnalysis;

namespace InvoiceApi.Functions.Hosting;

/// <summary>
/// Names a <see cref="FunctionsStartup"/> to apply, on the assembly or on a function class.
/// Same contract as <c>Google.Cloud.Functions.Hosting.FunctionsStartupAttribute</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class, AllowMultiple = true)]
public sealed class FunctionsStartupAttribute : Attribute
{
    /// <summary>Registers <paramref name="startupType"/>, a <see cref="FunctionsStartup"/> with a public parameterless constructor.</summary>
    public FunctionsStartupAttribute(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type startupType)
    {
        StartupType = startupType;
    }

    /// <summary>The startup class.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type StartupType { get; }

    /// <summary>Startups run in ascending order, then by full type name.</summary>
    public int Order { get; set; }
}
