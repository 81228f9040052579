using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using InvoiceApi.Tools.Benchmarks.Report;

namespace InvoiceApi.Tools.Benchmarks.Measurements;

/// <summary>POST /import with a 10,000-row CSV body, one request at a time: rows per second of each whole request.</summary>
internal static class ImportRun
{
    internal const int Rows = 10_000;

    internal static string Csv(DateOnly today)
    {
        var text = new StringBuilder("date,due_date,provider,nit,amount,currency,payment_method,category,status\n");
        var random = new Random(7);
        for (var i = 0; i < Rows; i++)
        {
            var date = today.AddDays(-random.Next(365));
            text.Append(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd},{date.AddDays(30):yyyy-MM-dd},Supplier {random.Next(150):D3},900123456-8,");
            text.Append(CultureInfo.InvariantCulture, $"{random.Next(1_000_000, 500_000_000) / 100m},COP,transfer,Software,pending\n");
        }
        return text.ToString();
    }

    internal static async Task<Spread> MeasureAsync(HttpClient writer, string csv, int runs, CancellationToken cancellationToken)
    {
        var rates = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
            var started = Stopwatch.GetTimestamp();
            using var response = await writer.PostAsync(new Uri("/import", UriKind.Relative), content, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"POST /import answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
            }
            rates.Add(Rows / seconds);
        }
        return Spread.Of(rates);
    }
}
