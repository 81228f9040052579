using InvoiceApi.LocalPostgres;

namespace InvoiceApi.Tests.Tools;

/// <summary>Without server binaries the private PostgreSQL fails loudly with the install command, never a silent skip.</summary>
public sealed class PostgresBinariesTests
{
    [Fact]
    public void A_directory_without_server_binaries_is_refused_with_the_install_command()
    {
        var empty = Directory.CreateTempSubdirectory("no-postgres-");
        try
        {
            var error = Assert.Throws<PostgresBinariesNotFoundException>(() => PostgresBinaries.FromDirectory(empty.FullName));

            Assert.Contains("apt-get install -y postgresql", error.Message, StringComparison.Ordinal);
            Assert.Contains(empty.FullName, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete();
        }
    }

    [Fact]
    public void This_machine_has_server_binaries()
    {
        var binaries = PostgresBinaries.Locate();

        Assert.True(File.Exists(binaries.PathOf("initdb")));
        Assert.True(binaries.MajorVersion >= 13);
    }
}
