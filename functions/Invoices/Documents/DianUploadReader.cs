using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Invoices;

/// <summary>
/// Opens an upload of DIAN documents: one XML file, or the ZIP a supplier's e-mail carries (the AttachedDocument, its PDF
/// rendering, sometimes more documents). Each XML file is read by <see cref="DianDocumentReader"/>; a bad one is refused on
/// its own. A ZIP that tries to hurt the server (a bomb, too many entries, names that climb out of a folder) is refused
/// as a whole, before any document in it is read.
/// </summary>
internal static class DianUploadReader
{
    internal const int MaxEntries = 100;
    internal const int MaxXmlBytes = DianDocumentReader.MaxBytes;
    internal const long MaxTotalBytes = 50L * 1024 * 1024;

    internal const string NotDianMessage = "The upload must be a DIAN XML document or a ZIP of them.";
    internal const string NoXmlMessage = "The ZIP holds no XML document.";

    private static ReadOnlySpan<byte> ZipSignature => "PK\u0003\u0004"u8;
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// The XML files of the upload read into documents, or why the whole upload was refused. The upload's
    /// <c>name</c> names its one file when it is XML.
    /// </summary>
    internal static DianUpload Read(ReadOnlyMemory<byte> body, string name)
    {
        if (body.Span.StartsWith(ZipSignature))
        {
            return ReadZip(body);
        }
        if (!LooksLikeXml(body.Span))
        {
            return Refused(NotDianMessage);
        }
        var xml = body.ToArray();
        return new DianUpload([ReadFile(name, xml)], 0, null);
    }

    private static DianUpload ReadZip(ReadOnlyMemory<byte> body)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(AsStream(body), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            return Refused($"The ZIP cannot be read (it may be damaged or cut short): {e.Message}");
        }
        using (archive)
        {
            var entries = archive.Entries;
            if (entries.Count > MaxEntries)
            {
                return Refused(string.Create(CultureInfo.InvariantCulture,
                    $"The ZIP holds {entries.Count:N0} entries; at most {MaxEntries} are read. Upload the documents in several ZIPs."));
            }
            if (entries.FirstOrDefault(entry => !IsSafeName(entry.FullName)) is { } unsafeEntry)
            {
                return Refused($"The ZIP entry \"{Ubl.Shorten(unsafeEntry.FullName)}\" has an unsafe name (a '..' folder, a leading slash or backslash, or a ':' as in a drive letter); such ZIPs are refused.");
            }
            return ReadEntries(entries);
        }
    }

    private static DianUpload ReadEntries(IReadOnlyList<ZipArchiveEntry> entries)
    {
        var files = new List<DianFile>();
        var skipped = 0;
        var total = 0L;
        foreach (var entry in entries)
        {
            if (IsDirectory(entry))
            {
                continue;
            }
            // Only what is named XML is opened: PDFs, images and nested ZIPs are never decompressed, so they cannot be bombs.
            if (!entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            {
                skipped++;
                continue;
            }
            var (xml, refusal) = Decompress(entry, MaxTotalBytes - total);
            if (xml is null)
            {
                return Refused(refusal!);
            }
            total += xml.Length;
            files.Add(ReadFile(entry.FullName, xml));
        }
        return files.Count == 0 ? Refused(NoXmlMessage) : new DianUpload(files, skipped, null);
    }

    /// <summary>
    /// The entry's bytes, read through a cap: the size an entry declares is checked first, and then the bytes actually
    /// inflated are counted, because a forged header can declare a few bytes and inflate to gigabytes.
    /// </summary>
    private static (byte[]? Xml, string? Refusal) Decompress(ZipArchiveEntry entry, long remaining)
    {
        var entryName = Ubl.Shorten(entry.FullName);
        var tooLarge = string.Create(CultureInfo.InvariantCulture,
            $"The ZIP entry \"{entryName}\" expands beyond {MaxXmlBytes / (1024 * 1024)} MiB, the most an XML document may be; the ZIP is refused.");
        var tooMuch = string.Create(CultureInfo.InvariantCulture,
            $"The ZIP's XML entries expand beyond {MaxTotalBytes / (1024 * 1024)} MiB together, the most one upload may hold; the ZIP is refused.");
        if (entry.Length > MaxXmlBytes)
        {
            return (null, tooLarge);
        }
        if (entry.Length > remaining)
        {
            return (null, tooMuch);
        }
        var cap = (int)Math.Min(entry.Length, MaxXmlBytes);
        try
        {
            using var stream = entry.Open();
            var buffer = new byte[cap + 1];
            var read = 0;
            int chunk;
            while (read < buffer.Length && (chunk = stream.Read(buffer, read, buffer.Length - read)) > 0)
            {
                read += chunk;
            }
            if (read > cap)
            {
                return (null, $"The ZIP entry \"{entryName}\" expands beyond the size its header states; the ZIP is refused.");
            }
            return (buffer[..read], null);
        }
        catch (InvalidDataException e)
        {
            return (null, $"The ZIP entry \"{entryName}\" cannot be read: {e.Message}");
        }
    }

    private static DianFile ReadFile(string name, byte[] xml)
    {
        var (document, refusal) = DianDocumentReader.Read(xml);
        return new DianFile(name, xml, document, refusal);
    }

    /// <summary>
    /// A name that stays inside the folder it is extracted to, on any system: no <c>..</c> step, no leading slash or
    /// backslash, no <c>:</c> (a drive letter, or an NTFS stream).
    /// </summary>
    private static bool IsSafeName(string name) =>
        name.Length > 0 && name[0] is not ('/' or '\\') && !name.Contains(':', StringComparison.Ordinal)
        && !name.Split('/', '\\').Contains("..");

    private static bool IsDirectory(ZipArchiveEntry entry) => entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\');

    /// <summary>After an optional UTF-8 byte order mark and whitespace, the first character is '&lt;'.</summary>
    private static bool LooksLikeXml(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith(Utf8Bom))
        {
            body = body[Utf8Bom.Length..];
        }
        var start = body.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && body[start] == (byte)'<';
    }

    private static DianUpload Refused(string refusal) => new([], 0, refusal);

    // The body's own array when it has one: an upload of megabytes is not copied just to be opened.
    private static MemoryStream AsStream(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
}
