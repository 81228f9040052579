using System.Globalization;
using System.Text;
using CsCheck;

namespace InvoiceApi.Tests.Reliability;

/// <summary>
/// Generators of hostile values: strings with control characters, lone surrogates, right-to-left and zero-width marks,
/// SQL fragments, huge and negative numbers, impossible dates, bad NITs, and JSON text that is malformed or deeply nested.
/// </summary>
public static class FuzzValues
{
    private static readonly string[] Nasty =
    [
        "", " ", "  \t ", "a", "\0", "a\0b", "\u0001\u001f\u007f", "\r\n", "line\nbreak", "\t",
        "\ud800", "x\udc00y", "\udc00\ud800", "\ud83d", "💸", "e\u0301", "ﬀ", "İstanbul", "ß", "ǅ", "\u202eevil", "\u200b", "a\u200db", "\ufeff", "\uffff", "\ufffd",
        "Ω≈ç√", "中文", "العربية", "١٢٣", "１２３", "٣.٥", "' OR 1=1 --", "'; DROP TABLE invoices; --", "\" OR \"\"=\"", "1; SELECT pg_sleep(5)",
        "$1", "@UserId", "%", "_", "\\", "\\\\'", "%00", "%zz", "..", "../../etc/passwd", "NULL", "null", "true", "false", "undefined",
        "NaN", "-NaN", "Infinity", "-Infinity", "1e309", "-1e309", "1e-400", "-0", "0", "-1", "0x10", "1,000.00", "1 000", "1_000", "+5", "5.",
        ".5", "1.005", "12.345", "9999999999999.99", "10000000000000", "99999999999999999999999999999999", "79228162514264337593543950336",
        "-79228162514264337593543950336", "2147483648", "-2147483649", "9223372036854775808",
        "2024-02-30", "2024-13-01", "2024-00-10", "0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "2024-1-1", "20240101",
        "2024-01-01T00:00:00Z", "-2024-01-01", "+002024-01-01", "2024/01/01", "01/02/2024", "2024-01-01 ", " 2024-01-01", "2024-02-29", "2023-02-29",
        "900123456-8", "900.123.456-8", "900123456", "900123456-0", "900123456-", "-8", "1-1", "12345-6", "1234567890123456-1", "900 123 456-8",
        "０９００１２３４５６", "900123456-８", "900123456--8", "9001234568",
        "COP", "cop", "USD", "XXX", "CO", "COPP", "C0P", "€", "pending", "paid", "void", "PAID", "cash", "card", "other", "Cash",
        "archived", "void,archived", "date", "amount", "created_at", "provider", "asc", "desc", "none", "status", "category",
        "America/Bogota", "UTC", "Etc/GMT+14", "../../../etc/localtime", "America/Nowhere", "Europe/London\0",
        "W/\"1\"", "\"1\"", "*", "0", "{}", "[]", "{\"a\":1}", "<script>alert(1)</script>", "${jndi:ldap://x}", "=cmd|' /C calc'!A0",
        "+1", "@SUM(1)", "-2+3", "\"quoted\"", "a,b", "a\"b", "a;b", "=HYPERLINK(\"x\")",
    ];

    /// <summary>A hostile string: from the list above, random characters of every kind, repeated, or long.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (12, Gen.OneOf(Nasty)),
        (3, Gen.Char.Array[0, 40].Select(chars => new string(chars))),
        (2, Gen.Char[' ', '~'].Array[0, 40].Select(chars => new string(chars))),
        (1, Gen.Select(Gen.OneOf(Nasty), Gen.OneOf(Nasty), Gen.OneOf(Nasty), (a, b, c) => a + b + c)),
        (1, Gen.Select(Gen.OneOf("a", "é", "\u0000", "\ud800", "💸", "'", "9"), Gen.Int[61, 5000], (unit, count) => string.Concat(Enumerable.Repeat(unit, count)))));

    /// <summary>A value in the API's own vocabulary for <paramref name="valid"/>, or a hostile one.</summary>
    public static Gen<string> Mostly(params string[] valid) => Gen.Frequency((2, Gen.OneOf(valid)), (3, Text));

    /// <summary>A JSON string literal of <paramref name="value"/>, escaping what JSON requires and, at random, more.</summary>
    public static string JsonString(string value, bool escapeAll = false)
    {
        var json = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                json.Append('\\').Append(c);
            }
            else if (c < ' ' || char.IsSurrogate(c) || (escapeAll && c > '~'))
            {
                // A lone surrogate can only travel as an escape; raw it would not be UTF-8 at all.
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                json.Append(c);
            }
        }
        return json.Append('"').ToString();
    }

    private static readonly string[] Numbers =
    [
        "0", "-0", "-1", "1", "5", "1234.5", "1234.50", "0.001", "1.005", "1e2", "1E-400", "1e309", "-1e309", "9999999999999.99", "10000000000000",
        "1e13", "123456789012345678901234567890", "79228162514264337593543950336", "0.1e1", "-0.0", "2147483648", "1.0000000000000000000000000001",
    ];

    private static readonly string[] MalformedJson =
    [
        "", " ", "{", "}", "[", "{\"a\"", "{\"a\":}", "{\"a\":1,}", "{,}", "{'a':1}", "{a:1}", "\"unterminated", "01", "+1", ".5", "1.", "NaN",
        "Infinity", "-Infinity", "undefined", "\"\\x41\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "{\"a\":1}{\"b\":2}", "{\"a\":1} x", "\ufeff{}",
        "{\"date\":\"2024-01-01\",\"date\":\"2024-01-02\"}", "/* comment */ {}", "{\"a\":1 // c\n}", "nul", "tru", "[1,2", "{\"\":1}",
    ];

    /// <summary>Any JSON value (text), shallow or deep, valid or not.</summary>
    public static readonly Gen<string> AnyJson = Gen.Recursive<string>((depth, self) => depth >= 3
        ? Scalar()
        : Gen.Frequency(
            (5, Scalar()),
            (1, self.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(Text, self).Array[0, 4].Select(pairs => "{" + string.Join(",", pairs.Select(p => JsonString(p.Item1) + ":" + p.Item2)) + "}")),
            (1, Gen.OneOf(MalformedJson)),
            (1, Deep())));

    /// <summary>A JSON scalar: a number in any form, a hostile string, true, false or null.</summary>
    public static Gen<string> Scalar() => Gen.Frequency(
        (3, Gen.OneOf(Numbers)),
        (4, Text.Select(text => JsonString(text))),
        (1, Text.Select(text => JsonString(text, escapeAll: true))),
        (1, Gen.OneOf("true", "false", "null")));

    /// <summary>Nesting far past any parser's depth limit.</summary>
    public static Gen<string> Deep() => Gen.Select(Gen.Int[60, 20_000], Gen.OneOf("[", "{\"a\":"), Gen.Bool,
        (depth, open, closed) =>
        {
            var close = open == "[" ? "]" : "}";
            return string.Concat(Enumerable.Repeat(open, depth)) + "1" + (closed ? string.Concat(Enumerable.Repeat(close, depth)) : "");
        });

    /// <summary>Bytes that are not UTF-8, or UTF-8 framed by other encodings' marks.</summary>
    public static readonly Gen<byte[]> RawBytes = Gen.Frequency(
        (2, Gen.Byte.Array[0, 64]),
        (1, Gen.OneOf<byte[]>(
            [0xff, 0xfe, (byte)'{', 0, (byte)'}', 0],
            [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xed, 0xa0, 0x80, (byte)'"', (byte)'}'],
            [(byte)'"', 0xc3, (byte)'"'],
            [0xef, 0xbb, 0xbf, (byte)'[', (byte)']'],
            [(byte)'{', (byte)'"', (byte)'p', (byte)'r', (byte)'o', (byte)'v', (byte)'i', (byte)'d', (byte)'e', (byte)'r', (byte)'"', (byte)':', (byte)'"', 0xc0, 0xaf, (byte)'"', (byte)'}'])));
}
