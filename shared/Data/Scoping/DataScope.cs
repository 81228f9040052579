namespace InvoiceApi.Data.Scoping;

/// <summary>
/// Whose rows a read may see: PostgreSQL's row-level security reads it from the transaction-local settings
/// <c>app.account_id</c> and <c>app.read_all_accounts</c>, the second wall behind each query's own <c>account_id = @accountId</c>.
/// </summary>
/// <param name="AccountId">The account the request acts for (migration 0007): its members all see the same rows.</param>
/// <param name="ReadAllAccounts">An admin's explicit read across accounts; honoured only by read-only transactions.</param>
public sealed record DataScope(string AccountId, bool ReadAllAccounts = false)
{
    /// <summary>The account's own rows only.</summary>
    public static DataScope Of(string accountId) => new(accountId);
}

/// <summary>
/// Whose rows a write may touch, and what it is: row-level security holds it to <paramref name="AccountId"/>'s rows and
/// refuses it unless <paramref name="Role"/> is <c>editor</c> or <c>owner</c> (settings <c>app.account_id</c>,
/// <c>app.account_role</c>); the history trigger records <paramref name="Operation"/> (<c>app.operation</c>).
/// </summary>
/// <param name="AccountId">The account whose invoices change.</param>
/// <param name="Role">The member's role in it: viewer, editor or owner.</param>
/// <param name="Operation">create, replace, patch, archive, restore or import: what the history says of each change.</param>
public sealed record WriteScope(string AccountId, string Role, string Operation);
