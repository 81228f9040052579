using System.Globalization;
using System.Text.Json;

namespace Invoices;

/// <summary>What <see cref="InvoiceDraftReader"/> made of one JSON object: a draft, or the fields it could not read.</summary>
/// <param name="Draft">The typed fields; null when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Messages per JSON field name (wrong JSON type, bad date, unreadable number, unknown field).</param>
internal sealed record InvoiceDraftReadResult(InvoiceDraft? Draft, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    internal bool Succeeded => Draft is not null;
}

/// <summary>
/// Reads one invoice JSON object into an <see cref="InvoiceDraft"/>, strictly: each field must have its JSON type
/// (strings, <c>YYYY-MM-DD</c> dates, an amount as a number or a decimal string, never through double), unknown or repeated
/// fields are errors, and the server-owned fields (<see cref="InvoiceFields.ServerOwned"/>) are ignored.
/// The rules (ranges, lengths, NIT, currency ...) are <see cref="InvoiceDraftValidator"/>'s job.
/// </summary>
internal static class InvoiceDraftReader
{
    internal static InvoiceDraftReadResult Read(JsonElement invoice)
    {
        var (draft, errors) = ReadPartial(invoice);
        return errors.Count == 0 ? new InvoiceDraftReadResult(draft, errors) : new InvoiceDraftReadResult(null, errors);
    }

    /// <summary>Like <see cref="Read"/>, but also returns the fields it could read when others failed (so rules can be checked on them too).</summary>
    internal static (InvoiceDraft Draft, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors) ReadPartial(JsonElement invoice)
    {
        var errors = new FieldErrors();
        if (invoice.ValueKind != JsonValueKind.Object)
        {
            errors.Add(InvoiceFields.Body, "An invoice must be a JSON object.");
            return (new InvoiceDraft(), errors.ToDictionary());
        }
        var draft = new InvoiceDraft();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in invoice.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                errors.Add(property.Name, "This field appears more than once.");
                continue;
            }
            draft = ReadField(draft, property.Name, property.Value, errors);
        }
        return (draft, errors.ToDictionary());
    }

    /// <summary>A date exactly as <c>YYYY-MM-DD</c> (a real calendar date).</summary>
    internal static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>A decimal string: optional minus, digits, optional point and digits; no exponent, spaces or separators.</summary>
    internal static bool TryParseAmount(string text, out decimal amount)
    {
        amount = 0;
        var digits = text.StartsWith('-') ? text[1..] : text;
        var point = digits.IndexOf('.', StringComparison.Ordinal);
        var wellFormed = digits.Length > 0 && point != 0 && point != digits.Length - 1
            && digits.Count(c => c == '.') <= 1 && digits.All(c => char.IsAsciiDigit(c) || c == '.');
        return wellFormed && IsExact(text)
            && decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount);
    }

    /// <summary>
    /// True when decimal holds <paramref name="number"/> (digits, optional point, optional exponent) exactly: at most
    /// 28 significant digits and 28 decimal places, once the zeros that end its decimals are dropped. decimal rounds
    /// the rest away, so 1.000000000000000000000000000001 would become 1.00 instead of being refused for its decimals.
    /// </summary>
    internal static bool IsExact(string number)
    {
        var mantissa = number.AsSpan();
        var e = mantissa.IndexOfAny('e', 'E');
        var exponent = 0;
        if (e >= 0 && !int.TryParse(mantissa[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
        {
            return false;
        }
        mantissa = (e < 0 ? mantissa : mantissa[..e]).TrimStart('-');
        var point = mantissa.IndexOf('.');
        if (point >= 0)
        {
            mantissa = mantissa.TrimEnd('0');
        }
        var decimalPlaces = point < 0 ? 0 : mantissa.Length - point - 1;
        var significant = 0;
        var leading = true;
        foreach (var c in mantissa)
        {
            leading &= c is '0' or '.';
            significant += !leading && char.IsAsciiDigit(c) ? 1 : 0;
        }
        return significant <= 28 && (long)decimalPlaces - exponent <= 28;
    }

    private static InvoiceDraft ReadField(InvoiceDraft draft, string name, JsonElement value, FieldErrors errors)
    {
        switch (name)
        {
            case InvoiceFields.Number: return draft with { Number = ReadString(name, value, errors) };
            case InvoiceFields.Date: return draft with { Date = ReadDate(name, value, errors) };
            case InvoiceFields.DueDate: return draft with { DueDate = ReadDate(name, value, errors) };
            case InvoiceFields.Provider: return draft with { Provider = ReadString(name, value, errors) };
            case InvoiceFields.Nit: return draft with { Nit = ReadString(name, value, errors) };
            case InvoiceFields.Amount: return draft with { Amount = ReadAmount(name, value, errors) };
            case InvoiceFields.Currency: return draft with { Currency = ReadDefaultedString(name, value, Currencies.Default, errors) };
            case InvoiceFields.PaymentMethod: return draft with { PaymentMethod = ReadString(name, value, errors) };
            case InvoiceFields.Category: return draft with { Category = ReadString(name, value, errors) };
            case InvoiceFields.Description: return draft with { Description = ReadString(name, value, errors) };
            case InvoiceFields.Status: return draft with { Status = ReadDefaultedString(name, value, InvoiceValues.Pending, errors) };
            case InvoiceFields.PaidAt: return draft with { PaidAt = ReadDate(name, value, errors) };
            case InvoiceFields.FilePath: return draft with { FilePath = ReadString(name, value, errors) };
            case InvoiceFields.OcrData: return draft with { OcrData = ReadObject(name, value, errors) };
            case InvoiceFields.OcrConfidence: return draft with { OcrConfidence = ReadFraction(name, value, errors) };
            case InvoiceFields.Kind: return draft with { Kind = ReadDefaultedString(name, value, InvoiceValues.InvoiceKind, errors) };
            case InvoiceFields.Subtotal: return draft with { Subtotal = ReadAmount(name, value, errors) };
            case InvoiceFields.Discounts: return draft with { Discounts = ReadAmount(name, value, errors) };
            case InvoiceFields.Charges: return draft with { Charges = ReadAmount(name, value, errors) };
            case InvoiceFields.Prepaid: return draft with { Prepaid = ReadAmount(name, value, errors) };
            case InvoiceFields.Rounding: return draft with { Rounding = ReadAmount(name, value, errors) };
            case InvoiceFields.Taxes: return draft with { Taxes = ReadTaxes(name, value, errors) };
            case InvoiceFields.Withholdings: return draft with { Withholdings = ReadTaxes(name, value, errors) };
            case InvoiceFields.Payable: return draft with { Payable = ReadAmount(name, value, errors) };
            case InvoiceFields.Cufe: return draft with { Cufe = ReadString(name, value, errors) };
            case var serverOwned when InvoiceFields.ServerOwned.Contains(serverOwned): return draft;
            default:
                errors.Add(name, "Unknown field.");
                return draft;
        }
    }

    private static string? ReadString(string name, JsonElement value, FieldErrors errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when TryGetStorableText(value, out var text):
                return text;
            case JsonValueKind.String:
                errors.Add(name, "Must be valid Unicode text without the NUL character.");
                return null;
            case JsonValueKind.Null: return null;
            default:
                errors.Add(name, $"Must be a string or null, not {Describe(value)}.");
                return null;
        }
    }

    // A field with a default is a string, never null: null would stand for the default without saying so, and in a
    // PATCH would quietly turn a USD invoice into COP or a paid one into pending.
    private static string? ReadDefaultedString(string name, JsonElement value, string fallback, FieldErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(name, $"Must be a string, not null; leave the field out for the default ({fallback}).");
            return null;
        }
        return ReadString(name, value, errors);
    }

    private static DateOnly? ReadDate(string name, JsonElement value, FieldErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.String && TryParseDate(value.GetString()!, out var date))
        {
            return date;
        }
        errors.Add(name, "Must be a date written YYYY-MM-DD (for example 2024-03-31), or null.");
        return null;
    }

    // A JSON number is read from its own digits (TryGetDecimal), a string with TryParseAmount: never through double.
    private static decimal? ReadAmount(string name, JsonElement value, FieldErrors errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number when value.TryGetDecimal(out var number) && IsExact(value.GetRawText()):
                return number;
            case JsonValueKind.String when TryParseAmount(value.GetString()!, out var parsed):
                return parsed;
            case JsonValueKind.Number or JsonValueKind.String:
                errors.Add(name, "Must be a decimal amount such as 1234.50 (a JSON number or a string of digits with an optional decimal point), within range.");
                return null;
            default:
                errors.Add(name, $"Must be a number or a decimal string, not {Describe(value)}.");
                return null;
        }
    }

    // A list of taxes: null and [] both mean none. Each entry is read with the same strictness as the invoice itself;
    // its errors are keyed like taxes[0].rate.
    private static List<InvoiceTax>? ReadTaxes(string name, JsonElement value, FieldErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(name, $"Must be an array of taxes (objects with {string.Join(", ", InvoiceTax.Fields)}), or null, not {Describe(value)}.");
            return null;
        }
        var taxes = new List<InvoiceTax>();
        var index = 0;
        foreach (var entry in value.EnumerateArray())
        {
            var key = $"{name}[{index++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                errors.Add(key, $"Must be an object with {string.Join(", ", InvoiceTax.Fields)}, not {Describe(entry)}.");
                continue;
            }
            var tax = new InvoiceTax(null, null, null, null, null);
            foreach (var property in entry.EnumerateObject())
            {
                var field = $"{key}.{property.Name}";
                tax = property.Name switch
                {
                    "scheme" => tax with { Scheme = ReadString(field, property.Value, errors) },
                    "name" => tax with { Name = ReadString(field, property.Value, errors) },
                    "rate" => tax with { Rate = ReadAmount(field, property.Value, errors) },
                    "base" => tax with { Base = ReadAmount(field, property.Value, errors) },
                    "amount" => tax with { Amount = ReadAmount(field, property.Value, errors) },
                    _ => Unknown(tax, field, errors),
                };
            }
            taxes.Add(tax);
        }
        return taxes;

        static InvoiceTax Unknown(InvoiceTax tax, string field, FieldErrors errors)
        {
            errors.Add(field, $"Unknown field; a tax has {string.Join(", ", InvoiceTax.Fields)}.");
            return tax;
        }
    }

    private static string? ReadObject(string name, JsonElement value, FieldErrors errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when IsStorableJson(value):
                return value.GetRawText();
            case JsonValueKind.Object:
                errors.Add(name, "Must not contain the NUL character or invalid Unicode (PostgreSQL's jsonb cannot hold them).");
                return null;
            case JsonValueKind.Null: return null;
            default:
                errors.Add(name, $"Must be a JSON object or null, not {Describe(value)}.");
                return null;
        }
    }

    private static double? ReadFraction(string name, JsonElement value, FieldErrors errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number):
                return number;
            default:
                errors.Add(name, $"Must be a number between 0 and 1, or null, not {Describe(value)}.");
                return null;
        }
    }

    // PostgreSQL text cannot hold U+0000, and a lone surrogate cannot be encoded as UTF-8: refuse both here, not with a 500.
    private static bool TryGetStorableText(JsonElement value, out string text)
    {
        text = "";
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        return IsStorable(text);
    }

    internal static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                return false;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    private static bool IsStorableJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().All(p => IsStorableName(p) && IsStorableJson(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().All(IsStorableJson),
        JsonValueKind.String => TryGetStorableText(value, out _),
        _ => true,
    };

    private static bool IsStorableName(JsonProperty property)
    {
        try
        {
            return IsStorable(property.Name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
