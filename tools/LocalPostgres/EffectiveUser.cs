using System.Runtime.InteropServices;

namespace InvoiceApi.LocalPostgres;

/// <summary>Who this process runs as, in the kernel's eyes (not the USER variable, which sudo and su may keep).</summary>
internal static partial class EffectiveUser
{
    internal static bool IsRoot => GetEffectiveUserId() == 0;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
