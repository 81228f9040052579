using System.Globalization;
using InvoiceApi.Tools.BenchmarkData;
using InvoiceApi.Tools.Benchmarks.Processes;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>
/// pgbench over the functions' Unix socket, as the runtime login (row-level security on), prepared statements,
/// on the client core; latency percentiles come from its per-transaction log.
/// </summary>
internal static class Pgbench
{
    /// <summary>The point read's SELECT, as GetInvoice sends it, with the id taken from the benchmark's id list in the same statement.</summary>
    private const string Select = """
        SELECT id, account_id, number, date, due_date, provider, nit, amount, currency, payment_method, category, description, status, paid_at, file_path, ocr_data::text AS ocr_data, ocr_confidence, created_at, updated_at, version, archived_at FROM invoices WHERE id = (SELECT id FROM benchmark.ids WHERE n = :n) AND (account_id = :uid OR :allcallers);
        """;

    /// <summary>Only the SELECT; the caller comes from the session's app.account_id (PGOPTIONS), so no statement is spent on it.</summary>
    internal static string SelectOnly(int idCount) => $"\\set n random(1, {idCount})\n{Select}";

    /// <summary>
    /// What the API sends per read: the read's scope and the SELECT in one pipeline, one round trip, one implicit
    /// transaction (ReadOnlyQuery.Scope, migration 0009).
    /// </summary>
    internal static string ProductTransaction(int idCount) => $"""
        \set n random(1, {idCount})
        \startpipeline
        CALL invoice_api_read_scope(:uid, false);
        {Select}
        \endpipeline
        """;

    internal static async Task<WrkResult> RunAsync(string pgbench, string socketDirectory, string database, string script, string userId,
        int clients, int seconds, CpuPinning pinning, CancellationToken cancellationToken)
    {
        var folder = Path.Join(Path.GetTempPath(), $"pgbench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var scriptFile = Path.Join(folder, "script.sql");
            await File.WriteAllTextAsync(scriptFile, script, cancellationToken);
            var (file, arguments) = CpuPinning.On(pinning.ClientCores, pgbench, [
                "-h", socketDirectory, "-p", "5432", "-U", BenchmarkDatabase.RuntimeUser, "-n", "-M", "prepared",
                "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "1", "-T", seconds.ToString(CultureInfo.InvariantCulture),
                "-D", $"uid={userId}", "-D", "allcallers=false", "-f", scriptFile, "-l", "--log-prefix", Path.Join(folder, "log"), database]);
            var result = await Command.RunAsync(file, arguments, cancellationToken, new Dictionary<string, string>
            {
                ["PGPASSWORD"] = BenchmarkDatabase.RuntimePassword,
                // The row-level security policies read app.account_id: set for the whole session, it costs no statement.
                ["PGOPTIONS"] = $"-c app.account_id={userId}",
            });
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"pgbench failed (exit {result.ExitCode}): {result.Error.Trim()}");
            }
            var latencies = Directory.EnumerateFiles(folder, "log*")
                .SelectMany(File.ReadLines)
                .Select(line => double.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture) / 1000)
                .Order()
                .ToArray();
            var failed = FailedTransactions(result.Output);
            var tps = Tps(result.Output);
            return new WrkResult(latencies.Length, failed, latencies.Length / tps, Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // "tps = 12345.678901 (without initial connection time)"
    private static double Tps(string output)
    {
        var line = output.Split('\n').FirstOrDefault(text => text.StartsWith("tps = ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"pgbench printed no tps: {output}");
        return double.Parse(line["tps = ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static long FailedTransactions(string output)
    {
        var line = output.Split('\n').FirstOrDefault(text => text.StartsWith("number of failed transactions:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
