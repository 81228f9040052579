using System.Globalization;

namespace InvoiceApi.Tools.Benchmarks.Report;

/// <summary>The table's rows, in the order they first appear, with the targets.</summary>
internal static class Rows
{
    internal static string ColdStart(string function, string path, int runs) => $"cold start {function}: exec → first 200 on authenticated GET {path} ({runs} runs); CPU time used by then";

    internal static string StartMemory(string function) => $"RSS right after start, {function} (VmRSS; VmHWM)";

    internal static string RoundsApi(string build) => $"alternating rounds, point read c=16: this API ({build}), GET /{{id}}";

    internal const string RoundsBaseline = "alternating rounds: the API at --baseline (Native AOT), GET /{id}";
    internal const string RoundsPgbench = "alternating rounds: pgbench, the same SELECT by primary key (-M prepared, runtime login + RLS)";
    internal const string RoundsPeer = "alternating rounds: " + Peer.PeerStack.Label;
    internal const string RoundsRatioPgbench = "ratio per round: API / pgbench same SELECT";
    internal const string RoundsRatioPeer = "ratio per round: API / seeds' stack";
    internal const string RoundsRatioBaseline = "ratio per round: API / API at --baseline";
    internal const string PointReads = "GET /{id}, c=16 (wrk, 10,000 ids rotated): throughput";
    internal const string PointReadLatency = "GET /{id}, c=16: latency";
    internal const string FunctionCpu = "function CPU per request at c=16: GET /healthz (no token, no SQL) · GET /{id}?x=1 (token checked, 400 before SQL) · GET /{id}";
    internal const string PgbenchSelect = "pgbench, same SELECT by primary key, c=16, -M prepared, same socket, runtime login + RLS";
    internal const string PgbenchTransaction = "pgbench, the API's statements (CALL invoice_api_read_scope; SELECT, one pipeline), c=16";
    internal const string RatioSelect = "API / pgbench (SELECT only)";
    internal const string RatioTransaction = "API / pgbench (the API's statements)";
    internal const string ListFirst = "GET / first page (20 rows), heaviest caller, c=1";

    internal static string ListDeep(int depth) => string.Create(CultureInfo.InvariantCulture, $"GET / page {depth:N0} deep (its cursor), c=1");

    internal static string ListWalk(int depth) => string.Create(CultureInfo.InvariantCulture, $"GET / every page 1 → {depth:N0} (one cursor walk)");

    internal const string Dashboard = "GET /dashboard (Stats, 12 months, heaviest caller), c=1";
    internal const string Trend = "GET /trend (Stats), c=1";
    internal const string Taxes = "GET /taxes (Stats, this year bimonthly, heaviest caller), c=1";
    internal const string Creates = "POST / (one invoice, JSON), c=16, one caller";
    internal const string CreatesByMany = "POST / (one invoice, JSON), c=16, 16 callers";
    internal const string Import = "POST /import, 10,000-row CSV, one at a time";
    internal const string Export = "GET /export.csv, the heaviest caller's every invoice";
    internal const string ExportMemory = "peak RSS of Invoices during the export (VmHWM)";

    internal static string MixedMemory(string function, int seconds) => $"RSS of {function} after {seconds} s mixed load, c=8 (VmRSS)";

    /// <summary>The targets, set once when the table is laid out.</summary>
    internal static void LayOut(ResultTable table, int coldRuns, int depth, int mixedSeconds, string roundsBuild)
    {
        table.For(RoundsApi(roundsBuild));
        table.For(RoundsBaseline);
        table.For(RoundsPgbench);
        table.For(RoundsPeer);
        table.For(RoundsRatioPgbench, "≥ 0.30");
        table.For(RoundsRatioPeer, "≥ 8");
        table.For(RoundsRatioBaseline);
        table.For(ColdStart("Invoices", "/{id}", coldRuns), "AOT median ≤ 80 ms");
        table.For(ColdStart("Stats", "/dashboard", coldRuns));
        table.For(StartMemory("Invoices"));
        table.For(StartMemory("Stats"));
        table.For(PointReads);
        table.For(PointReadLatency);
        table.For(FunctionCpu, "GET /{id} ≤ 0.10 ms");
        table.For(PgbenchSelect);
        table.For(PgbenchTransaction);
        table.For(RatioSelect, "≥ 0.30");
        table.For(RatioTransaction);
        table.For(ListFirst, "p95 ≤ 10 ms");
        table.For(ListDeep(depth), "p95 ≤ 10 ms");
        table.For(ListWalk(depth), "p95 ≤ 10 ms at any depth");
        table.For(Dashboard, "p95 ≤ 5 ms at c=1");
        table.For(Trend);
        table.For(Taxes, "p95 ≤ 20 ms");
        table.For(Creates, "≥ 1,500 req/s, p99 ≤ 40 ms");
        table.For(CreatesByMany, "≥ 2,000 req/s");
        table.For(Import, "≥ 50,000 rows/s");
        table.For(Export, "≥ 250,000 rows/s");
        table.For(ExportMemory, "< 100 MB");
        table.For(MixedMemory("Invoices", mixedSeconds), "≤ 64 MB");
        table.For(MixedMemory("Stats", mixedSeconds), "≤ 64 MB");
    }
}
