using InvoiceApi.Functions.Api.Auth;

namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// The demo members the printed table holds tokens for and <c>--seed</c> loads invoices for: the owner, an editor and a
/// viewer of one business account, and demo-user-2, the owner of its own personal account, the second account.
/// </summary>
internal static class LocalCallers
{
    internal const string BusinessAccount = "demo-business";

    internal static readonly LocalMember Owner = new("demo-owner", "ana@demo.local", BusinessAccount, AccountRole.Owner);
    internal static readonly LocalMember Editor = new("demo-editor", "bruno@demo.local", BusinessAccount, AccountRole.Editor);
    internal static readonly LocalMember Viewer = new("demo-viewer", "carla@demo.local", BusinessAccount, AccountRole.Viewer);

    // No account claim: its token acts for the personal account named after it.
    internal static readonly LocalMember Personal = new("demo-user-2", "dora@demo.local", AccountId: null, AccountRole.Owner);

    /// <summary>How long the printed tokens (and, by default, the <c>token</c> verb's) stay valid.</summary>
    internal const int TokenHours = 12;

    internal static IReadOnlyList<LocalMember> All => [Owner, Editor, Viewer, Personal];

    /// <summary>The demo member with this id; null for anyone else.</summary>
    internal static LocalMember? Find(string id) => All.FirstOrDefault(member => member.Id == id);
}
