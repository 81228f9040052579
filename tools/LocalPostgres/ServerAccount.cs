namespace InvoiceApi.LocalPostgres;

/// <summary>
/// The OS account the server binaries run as: <c>postgres</c> when this process is root (initdb and pg_ctl refuse
/// to run as root), otherwise the current account, with no switching at all.
/// </summary>
internal sealed class ServerAccount
{
    internal const string PostgresAccount = "postgres";
    private static readonly TimeSpan QuickCommandTimeout = TimeSpan.FromSeconds(30);

    private ServerAccount(string? switchTo) => SwitchTo = switchTo;

    /// <summary>The account commands are switched to with runuser; null when they run as the current account.</summary>
    internal string? SwitchTo { get; }

    internal static ServerAccount ForCurrentProcess() => new(EffectiveUser.IsRoot ? PostgresAccount : null);

    internal Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(fileName, arguments, SwitchTo, timeout, cancellationToken);

    /// <summary>Hands <paramref name="paths"/> (recursively) to the server account; nothing to do when it is the current account.</summary>
    internal async Task TakeOwnershipAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        if (SwitchTo is null)
        {
            return;
        }

        ProcessResult result = await ProcessRunner.RunAsync(
            "chown", ["-R", $"{SwitchTo}:{SwitchTo}", "--", .. paths], runAsUser: null, QuickCommandTimeout, cancellationToken);
        result.EnsureSuccess(serverLogFile: null);
    }

    /// <summary>
    /// Throws when the server account cannot enter one of <paramref name="directories"/> because a parent is closed
    /// to it (for example /root, mode 0700). Parents are never chmod-ed here: that is the caller's decision.
    /// </summary>
    internal async Task EnsureCanEnterAsync(IReadOnlyList<string> directories, CancellationToken cancellationToken)
    {
        if (SwitchTo is null || await CanEnterAllAsync(directories, cancellationToken))
        {
            return;
        }

        foreach (string directory in directories)
        {
            string? closed = await FindFirstClosedAncestorAsync(directory, cancellationToken);
            if (closed is not null)
            {
                throw new InvalidOperationException(
                    $"The server runs as the '{SwitchTo}' account (this process is root, and initdb refuses root), but '{SwitchTo}' " +
                    $"cannot enter '{closed}', so it cannot reach '{directory}'. Use a path under /tmp instead " +
                    $"(for example /tmp/ivx-{Environment.ProcessId}/...), or give '{SwitchTo}' search (x) permission on '{closed}'.");
            }
        }
    }

    // One process on the happy path: test -x a -a -x b ...
    private async Task<bool> CanEnterAllAsync(IReadOnlyList<string> directories, CancellationToken cancellationToken)
    {
        List<string> expression = [];
        foreach (string directory in directories)
        {
            expression.AddRange(expression.Count == 0 ? ["-x", directory] : ["-a", "-x", directory]);
        }

        ProcessResult result = await RunAsync("test", expression, QuickCommandTimeout, cancellationToken);
        return result.Succeeded;
    }

    private async Task<string?> FindFirstClosedAncestorAsync(string directory, CancellationToken cancellationToken)
    {
        foreach (string candidate in SelfAndAncestorsFromRoot(directory))
        {
            ProcessResult result = await RunAsync("test", ["-x", candidate], QuickCommandTimeout, cancellationToken);
            if (!result.Succeeded)
            {
                return candidate;
            }
        }

        return null;
    }

    private static Stack<string> SelfAndAncestorsFromRoot(string directory)
    {
        var chain = new Stack<string>();
        for (string? current = directory; !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            chain.Push(current);
        }

        return chain;
    }
}
