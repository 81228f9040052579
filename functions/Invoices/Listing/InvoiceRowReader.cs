using System.Data.Common;
using Invoices.Model;

namespace Invoices.Listing;

/// <summary>Reads <see cref="InvoiceRow"/>s from a reader over <see cref="InvoiceColumns.All"/>, one at a time, by position.</summary>
internal static class InvoiceRowReader
{
    internal static InvoiceRow Read(DbDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        UserId = reader.GetString(1),
        Number = Nullable<string>(reader, 2),
        Date = reader.GetFieldValue<DateOnly>(3),
        DueDate = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4),
        Provider = reader.GetString(5),
        Nit = Nullable<string>(reader, 6),
        Amount = reader.GetDecimal(7),
        Currency = reader.GetString(8),
        PaymentMethod = Nullable<string>(reader, 9),
        Category = reader.GetString(10),
        Description = Nullable<string>(reader, 11),
        Status = reader.GetString(12),
        PaidAt = reader.IsDBNull(13) ? null : reader.GetFieldValue<DateOnly>(13),
        FilePath = Nullable<string>(reader, 14),
        OcrData = Nullable<string>(reader, 15),
        OcrConfidence = reader.IsDBNull(16) ? null : reader.GetDouble(16),
        CreatedAt = reader.GetDateTime(17),
        UpdatedAt = reader.GetDateTime(18),
        Version = reader.GetInt32(19),
        ArchivedAt = reader.IsDBNull(20) ? null : reader.GetDateTime(20),
    };

    private static T? Nullable<T>(DbDataReader reader, int ordinal) where T : class =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
}
