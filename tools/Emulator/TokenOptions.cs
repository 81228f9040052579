namespace InvoiceApi.Tools.Emulator;

/// <summary>What the <c>token</c> subcommand was asked for (<see cref="TokenCommand"/> reads it).</summary>
/// <param name="Member">Whom the token speaks for: its sub, account, role and email.</param>
/// <param name="Admin">Add "role": "admin".</param>
/// <param name="Hours">The token's lifetime.</param>
/// <param name="StateFolder">The emulator's <c>--data-dir</c>, whose key signs the token; null for <c>.local/</c>.</param>
internal sealed record TokenOptions(LocalMember Member, bool Admin, int Hours, string? StateFolder);
