using System.IO.Compression;
using System.Security.Cryptography;
using Npgsql;

namespace Invoices;

/// <summary>
/// The legal record of an invoice that came in as a DIAN document: its original XML, byte for byte, gzip-compressed in
/// <c>invoice_documents</c> (migration 0011), written in the invoice's own transaction and read back unchanged.
/// </summary>
internal static class DocumentStore
{
    /// <summary>The SHA-256 of <paramref name="xml"/> in lower-case hexadecimal, as the invoice's document_sha256 shows it.</summary>
    internal static string Sha256(byte[] xml) => Convert.ToHexStringLower(SHA256.HashData(xml));

    // A plain command: Dapper takes a byte[] parameter for a list to expand, which Dapper.AOT does not generate.
    internal static async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid invoiceId, string fileName, string sha256,
        byte[] xml, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO invoice_documents (invoice_id, file_name, sha256, xml_bytes, xml_gzip)
            VALUES ($1, $2, $3, $4, $5)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = invoiceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Shorten(fileName) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sha256 });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = xml.Length });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Compress(xml) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A stored document as read back: its name, hash and the compressed bytes.</summary>
    internal sealed class StoredDocument
    {
        public required string FileName { get; init; }

        public required string Sha256 { get; init; }

        public required byte[] XmlGzip { get; init; }

        internal byte[] Xml()
        {
            using var input = new GZipStream(new MemoryStream(XmlGzip), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
    }

    private static byte[] Compress(byte[] xml)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(xml);
        }
        return output.ToArray();
    }

    // A ZIP entry's name can be long; the record keeps its last 255 characters (the file's own name and extension).
    private static string Shorten(string fileName) => fileName.Length <= 255 ? fileName : fileName[^255..];
}
