using Dapper;
using Npgsql;

namespace InvoiceApi.Data.Readiness;

/// <summary>
/// Refuses a database login that row-level security does not hold: a superuser, a role with BYPASSRLS, the owner of
/// invoices or a member of it (an owner can switch the policies off), a role that can reach any of those (CREATEROLE,
/// or membership in a role with SUPERUSER, BYPASSRLS or CREATEROLE), or a role outside invoice_api_runtime.
/// </summary>
internal static class RuntimeLoginCheck
{
    internal const string RuntimeGroupRole = "invoice_api_runtime";

    // One round trip; pg_roles and pg_class are readable by every role, and a missing table or group role is no error.
    private const string Sql = """
        SELECT r.rolname AS role_name, r.rolsuper AS is_superuser, r.rolbypassrls AS bypasses_rls, r.rolcreaterole AS creates_roles,
               (SELECT string_agg(quote_literal(g.rolname), ', ' ORDER BY g.rolname) FROM pg_roles g
                WHERE g.oid <> r.oid AND (g.rolsuper OR g.rolbypassrls OR g.rolcreaterole) AND pg_has_role(current_user, g.oid, 'MEMBER')) AS privileged_groups,
               pg_get_userbyid(c.relowner) AS invoices_owner,
               COALESCE(pg_has_role(current_user, c.relowner, 'MEMBER'), false) AS owns_invoices,
               COALESCE((SELECT pg_has_role(current_user, g.oid, 'MEMBER') FROM pg_roles g WHERE g.rolname = 'invoice_api_runtime'), false) AS is_runtime_member
        FROM pg_roles r
        LEFT JOIN pg_class c ON c.oid = to_regclass('invoices')
        WHERE r.rolname = current_user
        """;

    /// <summary>What is wrong with the current login, as one sentence that says what to do; null when the wall holds it.</summary>
    internal static async Task<string?> FindProblemAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var login = await connection.QuerySingleAsync<LiveLogin>(Sql, new { cancellationToken });
        var reasons = Reasons(login).ToList();
        return reasons.Count == 0
            ? null
            : $"The database login '{login.RoleName}' {string.Join(" and ", reasons)}, so row-level security would not keep one caller's invoices from another. "
              + $"Deploy the functions with the runtime login user (DB_USER: a LOGIN role IN ROLE {RuntimeGroupRole}, owning nothing), never the owner or a superuser; "
              + "an operator creates it once as the owner, as the comment in shared/Data/Migrations/0002_row_level_security.sql shows.";
    }

    private static IEnumerable<string> Reasons(LiveLogin login)
    {
        if (login.IsSuperuser)
        {
            // A superuser is a member of every role: the other reasons would only repeat it.
            yield return "is a superuser";
            yield break;
        }
        if (login.BypassesRls)
        {
            yield return "has BYPASSRLS";
        }
        if (login.CreatesRoles)
        {
            yield return "has CREATEROLE (it could grant itself the owner's role)";
        }
        if (login.PrivilegedGroups is { } groups)
        {
            yield return $"is a member of {groups}, which can skip row-level security or create roles";
        }
        if (login.OwnsInvoices)
        {
            yield return login.InvoicesOwner == login.RoleName
                ? "owns the invoices table"
                : $"is a member of '{login.InvoicesOwner}', the owner of the invoices table";
        }
        if (!login.IsRuntimeMember)
        {
            yield return $"is not a member of {RuntimeGroupRole}";
        }
    }
}
