using System.Net.Http.Headers;
using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;
using InvoiceApi.Tests.OpenApi;

namespace InvoiceApi.Tests.Tools;

/// <summary>SIGTERM (as Ctrl+C) stops the functions and PostgreSQL and leaves nothing running; a second start keeps the data.</summary>
[Trait("Category", Category.Emulator)]
public sealed class EmulatorStopTests
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sigterm_stops_every_process_and_the_socket_and_a_restart_with_seed_adds_nothing()
    {
        using var home = new EmulatorHome();
        await using (var first = EmulatorProcess.Start(home.Arguments("--seed", "20")))
        {
            await first.WaitForOutputAsync(IsLastTableRow, EmulatorProcess.StartLimit);
            var (socketDirectory, port) = EmulatorTable.From(first.Output).Database();
            var socket = Path.Join(socketDirectory, $".s.PGSQL.{port}");
            var functions = home.FunctionProcessIds();
            var postmaster = home.PostmasterProcessId();
            Assert.Equal(2, functions.Count);
            Assert.All(functions.Append(postmaster), processId => Assert.True(EmulatorHome.IsRunning(processId), $"{processId} is not running"));
            Assert.True(File.Exists(socket), $"{socket} does not exist");

            first.Terminate();
            var exitCode = await first.WaitForExitAsync(StopLimit);

            Assert.True(exitCode == 0, $"exit code {exitCode}\n{first.Transcript()}");
            Assert.All(functions.Append(postmaster), processId => Assert.False(EmulatorHome.IsRunning(processId), $"{processId} is still running"));
            Assert.False(File.Exists(socket), $"{socket} is still there");
            Assert.False(File.Exists(Path.Join(home.DataDirectory, "postmaster.pid")));
            Assert.False(File.Exists(Path.Join(home.RuntimeFolder, "emulator.lock")), "emulator.lock is left after a clean stop");
            Assert.False(File.Exists(Path.Join(home.RuntimeFolder, "functions.pids")), "functions.pids is left after a clean stop");
            Assert.Contains("[invoices] INFO  Application is shutting down...", first.Output);
            Assert.Equal("stopped", first.Output[^1]);
            Assert.Empty(first.Errors);
        }

        await using var second = EmulatorProcess.Start(home.Arguments("--seed", "20"));
        await second.WaitForOutputAsync(IsLastTableRow, EmulatorProcess.StartLimit);

        Assert.Contains(second.Output, line => line.StartsWith("seed: skipped, demo-business already has invoices", StringComparison.Ordinal));
        Assert.Contains(second.Output, line => line.StartsWith("postgres: starting (reusing ", StringComparison.Ordinal));
        Assert.Equal(16, await CountAsync(home.InvoicesUrl, EmulatorTable.From(second.Output).Token("demo-viewer")));
    }

    private static async Task<int> CountAsync(Uri invoices, string token)
    {
        using var client = ConformanceHandler.Client(OpenApiDescription.Invoices, invoices);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var page = JsonDocument.Parse(await client.GetStringAsync("/?include=archived&limit=100", TestContext.Current.CancellationToken));
        return page.RootElement.GetProperty("data").GetArrayLength();
    }

    private static bool IsLastTableRow(string line) => line.StartsWith("  data ", StringComparison.Ordinal);
}
