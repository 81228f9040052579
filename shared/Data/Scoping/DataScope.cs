namespace InvoiceApi.Data.Scoping;

/// <summary>
/// Whose rows a transaction may touch: PostgreSQL's row-level security reads it from the transaction-local settings
/// <c>app.user_id</c> and <c>app.read_all_callers</c>, the second wall behind each query's own <c>user_id = @userId</c>.
/// </summary>
/// <param name="UserId">The caller (the token's subject); every write is held to this caller's rows.</param>
/// <param name="ReadAllCallers">An admin's explicit read across callers; honoured only by read-only transactions.</param>
public sealed record DataScope(string UserId, bool ReadAllCallers = false)
{
    /// <summary>The caller's own rows only.</summary>
    public static DataScope Of(string userId) => new(userId);
}
