using System.Net.Sockets;
using System.Net;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.Tools;

/// <summary>Each way the emulator cannot start ends in one clear sentence on stderr, a non-zero exit code, and nothing left running.</summary>
[Trait("Category", Category.Emulator)]
public sealed class EmulatorFailureTests
{
    private static readonly TimeSpan QuickLimit = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_taken_port_is_one_sentence_naming_the_port_and_the_flag_exit_code_2()
    {
        using var home = new EmulatorHome();
        using var holder = new TcpListener(IPAddress.Loopback, home.StatsPort);
        holder.Start();

        var result = await EmulatorProcess.RunAsync(home.Arguments(), null, QuickLimit);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"Port {home.StatsPort} (Stats) is already in use; stop what holds it or pass --stats-port.", Assert.Single(result.Errors));
        Assert.False(Directory.Exists(home.DataDirectory), "PostgreSQL was started although a port was taken");
    }

    [Fact]
    public async Task Missing_postgres_binaries_are_one_sentence_with_the_install_command_exit_code_3()
    {
        using var home = new EmulatorHome();
        var nowhere = Path.Join(home.StateFolder, "no-postgres-here");
        var environment = new Dictionary<string, string> { [EmulatorProcess.ServerBinariesVariable] = nowhere };

        var result = await EmulatorProcess.RunAsync(home.Arguments(), environment, QuickLimit);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            $"PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in {nowhere} (POSTGRES_BIN_DIR); " +
            "install them with `sudo apt-get install -y postgresql` or set POSTGRES_BIN_DIR to their directory.",
            Assert.Single(result.Errors));
        Assert.False(Directory.Exists(home.DataDirectory));
    }

    [Fact]
    public async Task A_function_not_ready_within_20_s_is_named_with_its_last_lines_and_everything_stops()
    {
        using var home = new EmulatorHome();
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location,
            [StartupHook.HoldVariable] = "stats",
        };
        await using var emulator = EmulatorProcess.Start(home.Arguments(), environment);
        await emulator.WaitForOutputAsync(line => line.StartsWith("functions: starting", StringComparison.Ordinal), EmulatorProcess.StartLimit);
        var functions = await home.WaitForFunctionProcessIdsAsync(TimeSpan.FromSeconds(10));
        var postmaster = home.PostmasterProcessId();

        var exitCode = await emulator.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{emulator.Transcript()}");
        var errors = emulator.Errors;
        Assert.Equal("stats did not answer GET /readyz with 200 within 20 s.", errors[0]);
        Assert.Equal("last line of stats:", errors[1]);
        Assert.Equal("  " + StartupHook.HoldLine, errors[2]);
        Assert.DoesNotContain(emulator.Output, line => line.StartsWith("Invoice API running locally", StringComparison.Ordinal));
        Assert.All(functions.Append(postmaster), processId => Assert.False(EmulatorHome.IsRunning(processId), $"{processId} is still running"));
        Assert.Equal(2, functions.Count);
    }
}
