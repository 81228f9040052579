using System.Text;

namespace Invoices;

/// <summary>
/// An RFC 4180 CSV text split into records of cells: fields separated by commas, records by CRLF or LF, a field in
/// double quotes may hold commas, line breaks and doubled quotes. Blank lines are skipped; a stray quote is an error.
/// </summary>
internal static class CsvTable
{
    /// <summary>The records (the first is the header), or what is wrong and on which line.</summary>
    internal static (List<string[]> Records, string? Error) Parse(string text)
    {
        var records = new List<string[]>();
        var record = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        while (i <= text.Length)
        {
            if (i < text.Length && text[i] == '"' && cell.Length == 0)
            {
                var (end, error) = ReadQuoted(text, i, cell, ref line);
                if (error is not null)
                {
                    return (records, error);
                }
                i = end;
                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    return (records, $"Line {line}: a quoted field must end at a comma or a line break.");
                }
                continue;
            }
            if (i == text.Length || text[i] is '\r' or '\n')
            {
                record.Add(cell.ToString());
                cell.Clear();
                // A record of one empty cell is a blank line: skipped, so a trailing newline adds no row.
                if (record is not [""])
                {
                    records.Add([.. record]);
                }
                record.Clear();
                i += i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n' ? 2 : 1;
                line++;
                continue;
            }
            if (text[i] == ',')
            {
                record.Add(cell.ToString());
                cell.Clear();
            }
            else if (text[i] == '"')
            {
                return (records, $"Line {line}: a double quote inside an unquoted field; quote the whole field and double the quote.");
            }
            else
            {
                cell.Append(text[i]);
            }
            i++;
        }
        return (records, null);
    }

    private static (int End, string? Error) ReadQuoted(string text, int start, StringBuilder cell, ref int line)
    {
        var opening = line;
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] != '"')
            {
                line += text[i] == '\n' ? 1 : 0;
                cell.Append(text[i]);
            }
            else if (i + 1 < text.Length && text[i + 1] == '"')
            {
                cell.Append('"');
                i++;
            }
            else
            {
                return (i + 1, null);
            }
        }
        return (text.Length, $"Line {opening}: a quoted field is never closed.");
    }
}
