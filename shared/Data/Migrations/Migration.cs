using System.Security.Cryptography;
using System.Text;

namespace InvoiceApi.Data.Migrations;

/// <summary>One ordered schema change, from a file named <c>NNNN_name.sql</c>.</summary>
/// <param name="Version">The number the file name starts with; migrations apply in ascending order.</param>
/// <param name="Name">The file name, for messages.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the SQL with line endings normalized, so a checkout with CRLF does not count as an edit.</summary>
    /// <remarks>Computed on read, so a copy made with <c>with { Sql = ... }</c> never carries a stale checksum.</remarks>
    public string Checksum => Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(Sql.Replace("\r\n", "\n", StringComparison.Ordinal))));
}
