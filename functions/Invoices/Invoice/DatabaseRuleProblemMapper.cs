using InvoiceApi.Functions.Api.Problems;
using Npgsql;

namespace Invoices;

/// <summary>
/// The database's own checks are the last wall behind the validator: a value that slips past it (a jsonb text that
/// grows past 64 KiB once PostgreSQL normalizes it, say) is the client's 422, not a 500. The transaction was rolled back.
/// </summary>
internal sealed class DatabaseRuleProblemMapper : IProblemMapper
{
    public Problem? TryMap(Exception exception) => exception switch
    {
        PostgresException { SqlState: var state } postgres when IsInputRule(state) =>
            InvoiceProblems.Validation(Errors(postgres), "A value breaks one of the database's rules for invoices; nothing was written."),
        DuplicateDocumentException duplicate => InvoiceProblems.DuplicateDocument(duplicate.ExistingId),
        // A change that gives an invoice a CUFE another one of the account has.
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "invoices_account_cufe_key" } => InvoiceProblems.DuplicateDocument(null),
        _ => null,
    };

    private static bool IsInputRule(string state) => state is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.StringDataRightTruncation
        or PostgresErrorCodes.NumericValueOutOfRange or PostgresErrorCodes.InvalidTextRepresentation
        or PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter;

    // "invoices_ocr_data_check" names its column; a table-level constraint names no single field.
    private static Dictionary<string, IReadOnlyList<string>> Errors(PostgresException exception)
    {
        var field = exception.ConstraintName is { } name && name.StartsWith("invoices_", StringComparison.Ordinal) && name.EndsWith("_check", StringComparison.Ordinal)
            ? name["invoices_".Length..^"_check".Length]
            : "$";
        return new() { [field] = ["Refused by the database's rule for this value."] };
    }
}

/// <summary>An invoice was to be recorded with a CUFE its account already has (existingId, when found).</summary>
internal sealed class DuplicateDocumentException(Guid? existingId) : Exception("The account already has an invoice with this CUFE.")
{
    internal Guid? ExistingId { get; } = existingId;
}
