using System.Text;

namespace InvoiceApi.LocalPostgres;

/// <summary>The last lines of some output or of a (possibly large, still growing) log file, for error messages.</summary>
internal static class TextTail
{
    // A persistent cluster's log grows without bound; the last lines are always within this many bytes in practice.
    private const int MaxTailBytes = 64 * 1024;

    internal static string LastLines(string text, int lines)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lines);
        string[] all = text.TrimEnd('\n', '\r').Split('\n');
        return all is [""] ? "" : string.Join('\n', all.TakeLast(lines));
    }

    internal static string LastLinesOfFile(string path, int lines)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Max(0, stream.Length - MaxTailBytes), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return LastLines(reader.ReadToEnd(), lines);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
