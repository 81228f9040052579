namespace InvoiceApi.Tools.Emulator;

/// <summary>A role and database the functions log in to (DB_USER, DB_PASS, DB_NAME).</summary>
/// <remarks>Not a record on purpose: a generated ToString would print the password.</remarks>
internal sealed class DatabaseLogin(string user, string password, string database)
{
    internal string User { get; } = user;

    internal string Password { get; } = password;

    internal string Database { get; } = database;
}
