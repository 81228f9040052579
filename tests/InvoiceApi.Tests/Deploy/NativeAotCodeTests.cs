using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace InvoiceApi.Tests.Deploy;

/// <summary>
/// The quick form of the Native AOT publish check, on the JIT build: shipped code never calls into Dapper itself. Dapper.AOT
/// intercepts each Dapper call at build time; a call it leaves alone (or a helper such as <c>SqlMapper.AsList</c>, whose
/// static constructor runs Dapper's reflection) pulls Dapper's reflection-based mapper into the AOT build, which then
/// warns IL2104/IL3053 "Assembly 'Dapper' produced trim/AOT warnings".
/// </summary>
public sealed class NativeAotCodeTests
{
    [Theory]
    [InlineData("Invoices.dll")]
    [InlineData("Stats.dll")]
    [InlineData("InvoiceApi.Data.dll")]
    [InlineData("InvoiceApi.Migrator.dll")]
    public void Shipped_code_reaches_Dapper_only_through_the_code_Dapper_AOT_generates(string assembly)
    {
        Assert.Empty(MembersCalledIn(Path.Combine(AppContext.BaseDirectory, assembly), "Dapper"));
    }

    /// <summary>Every member of <paramref name="target"/> (an assembly name) that the IL of <paramref name="path"/> refers to.</summary>
    private static List<string> MembersCalledIn(string path, string target)
    {
        using var file = new PEReader(File.OpenRead(path));
        var metadata = file.GetMetadataReader();
        var called = new List<string>();
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }
            var type = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
            if (type.ResolutionScope.Kind == HandleKind.AssemblyReference
                && metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name) == target)
            {
                called.Add($"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}.{metadata.GetString(member.Name)}");
            }
        }
        return called;
    }
}
