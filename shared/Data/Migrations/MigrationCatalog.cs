using System.Globalization;
using System.Reflection;

namespace InvoiceApi.Data.Migrations;

/// <summary>The migrations the code ships, read from the <c>.sql</c> files embedded in this assembly.</summary>
public static class MigrationCatalog
{
    private const string ResourcePrefix = "migrations/";

    /// <summary>Every embedded migration, in version order.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = Load(typeof(MigrationCatalog).Assembly);

    private static List<Migration> Load(Assembly assembly)
    {
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Read(assembly, name))
            .OrderBy(migration => migration.Version)
            .ToList();
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Migrations {string.Join(" and ", duplicate.Select(m => m.Name))} share version {duplicate.Key}; renumber one.");
        }
        return migrations;
    }

    private static Migration Read(Assembly assembly, string resourceName)
    {
        var fileName = resourceName[ResourcePrefix.Length..];
        var digits = new string(fileName.TakeWhile(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0 || fileName.Length <= digits.Length || fileName[digits.Length] != '_')
        {
            throw new InvalidOperationException($"Migration file {fileName} must be named NNNN_description.sql.");
        }
        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        return new Migration(int.Parse(digits, CultureInfo.InvariantCulture), fileName, reader.ReadToEnd());
    }
}
