using System.Text;

namespace Invoices;

/// <summary>
/// Case- and accent-insensitive matching without PostgreSQL's unaccent extension (CREATE EXTENSION may be refused on a
/// managed server): the same letter table folds the search words here and the columns in SQL, with translate() and lower().
/// </summary>
internal static class TextFold
{
    // Accented Latin letters (Spanish, Portuguese, French, German) and the plain letter each one folds to.
    private const string Accented = "ÁÀÂÄÃÅáàâäãåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÖÕóòôöõÚÙÛÜúùûüÑñÇçÝýÿ";
    private const string Plain = "aaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooouuuuuuuunnccyyy";

    /// <summary>The SQL expression that folds <paramref name="column"/> (a trusted column expression, never user input).</summary>
    internal static string Sql(string column) => $"lower(translate({column}, '{Accented}', '{Plain}'))";

    /// <summary>Folds a search word the way <see cref="Sql"/> folds a column.</summary>
    internal static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var letter in text)
        {
            var index = Accented.IndexOf(letter, StringComparison.Ordinal);
            folded.Append(index >= 0 ? Plain[index] : char.ToLowerInvariant(letter));
        }
        return folded.ToString();
    }
}
