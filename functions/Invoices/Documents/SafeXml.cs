using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Invoices;

/// <summary>
/// Loads XML that came from outside without letting it hurt the server: no DTD (so no external entities and no
/// entity expansion), a cap on characters and a cap on nesting depth. XmlReader has no depth setting, so a first pass
/// only walks the nodes and measures; the tree is built in a second pass once the document is known to be tame.
/// </summary>
internal static class SafeXml
{
    /// <summary>A DIAN document nests about 12 levels deep; 64 leaves room for any extension and stops stack-hungry trees.</summary>
    internal const int MaxDepth = 64;

    /// <summary>The largest document read, in characters (and in bytes: <see cref="DianDocumentReader"/> checks those first).</summary>
    internal const int MaxCharacters = 5 * 1024 * 1024;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>The document read from <paramref name="bytes"/> (encoding from its BOM or declaration), or why it was refused.</summary>
    internal static (XDocument? Document, string? Refusal) Load(byte[] bytes, string what) =>
        Load(() => XmlReader.Create(new MemoryStream(bytes, writable: false), Settings), what);

    /// <summary>The document read from <paramref name="text"/> (XML carried inside another document), or why it was refused.</summary>
    internal static (XDocument? Document, string? Refusal) Load(string text, string what) =>
        Load(() => XmlReader.Create(new StringReader(text), Settings), what);

    // what: how a refusal names the XML ("The XML", "The document inside the AttachedDocument").
    private static (XDocument? Document, string? Refusal) Load(Func<XmlReader> open, string what)
    {
        try
        {
            using (var scan = open())
            {
                while (scan.Read())
                {
                    if (scan.Depth > MaxDepth)
                    {
                        return (null, string.Create(CultureInfo.InvariantCulture,
                            $"{what} nests elements more than {MaxDepth} levels deep (at line {LineOf(scan)}); a DIAN document is far shallower."));
                    }
                }
            }
            using var reader = open();
            return (XDocument.Load(reader), null);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            // XmlReader refuses the DOCTYPE before reading a byte of it (DtdProcessing.Prohibit), without a line number.
            return (null, $"{what} declares a DTD (<!DOCTYPE ...>). DIAN documents have none, and a DTD is refused because it can read files from the server or expand entities without end.");
        }
        catch (XmlException e)
        {
            return (null, $"{what} is not well-formed: {e.Message}");
        }
    }

    private static int LineOf(XmlReader reader) => reader is IXmlLineInfo info ? info.LineNumber : 0;
}
