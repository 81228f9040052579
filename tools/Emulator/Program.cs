using System.Diagnostics;
using InvoiceApi.LocalPostgres;
using InvoiceApi.Tools.CommandLine;
using InvoiceApi.Tools.Emulator;

// The command line (EmulatorCommand): a start runs RunAsync below, `token` prints a token; a wrong option exits with 2.
return await ToolCommandLine.InvokeAsync(new EmulatorCommand(start: RunAsync), args, ExitCodes.Usage);

static async Task<int> RunAsync(EmulatorOptions options)
{
    var console = new EmulatorConsole(options.Functions.Select(function => function.ServiceName));
    using var stop = new StopSignal();
    var stack = new LocalStack(console);
    try
    {
        await StartAsync(options, stack, console, stop);
        await stack.WatchAsync(stop);
        return ExitCodes.Stopped;
    }
    catch (EmulatorFailure failure)
    {
        console.Problem(failure.Message);
        return failure.ExitCode;
    }
    catch (OperationCanceledException) when (stop.IsRequested)
    {
        return ExitCodes.Stopped;
    }
    finally
    {
        // Reached however the run ends: nothing the emulator started may outlive it.
        await stack.DisposeAsync();
    }
}

// The steps in order; each throws EmulatorFailure with its exit code, and the stack stops whatever had started.
static async Task StartAsync(EmulatorOptions options, LocalStack stack, EmulatorConsole console, StopSignal stop)
{
    var clock = Stopwatch.StartNew();
    var repository = RepositoryLayout.Locate(options.StateFolder);
    stack.Hold(SingleInstanceLock.Acquire(repository));
    await LeftoverFunctions.StopAsync(repository, console);
    PortCheck.EnsureFree(options.Functions);
    DashboardSite.EnsurePortFree(options.DashboardPort);

    var location = await DataLocation.ChooseAsync(repository, stop.Token);
    if (location.Note is { } note)
    {
        console.Info(note);
    }
    var cluster = await ClusterStartup.StartAsync(repository, location, options.Fresh, [options.InvoicesPort, options.StatsPort, options.DashboardPort], console);
    stack.Add(cluster);
    var authority = LocalAuthority.Ensure(repository, path => console.Info($"auth: created the local signing key {path}"));
    var owner = await LocalDatabase.EnsureAsync(cluster, location, stop.Token);

    // The migrator resolves the database from the variables a function gets, as the owner: the production code path.
    await SchemaUpgrade.RunAsync(FunctionEnvironment.For(options.Functions[0], cluster, owner, authority), console, stop.Token);
    // The functions log in as a role that owns nothing, so row-level security holds them as it does on Cloud Run.
    var login = await RuntimeLogin.EnsureAsync(cluster, location, owner, stop.Token);
    var environments = options.Functions.ToDictionary(function => function, function => FunctionEnvironment.For(function, cluster, login, authority, DashboardSite.OriginsFor(options.DashboardPort)));

    console.Info("functions: starting " + string.Join(", ", options.Functions.Select(function => $"{function.ServiceName} on {function.Port}")));
    foreach (var (function, environment) in environments)
    {
        stack.Add(FunctionLauncher.Start(repository, function, environment, console));
    }
    LeftoverFunctions.Record(repository, stack.Functions);
    await stack.WaitUntilReadyAsync(stop);
    var functionUrl = (string service) => options.Functions.Single(function => function.ServiceName == service).BaseAddress;
    stack.Add(await DashboardSite.StartAsync(options.DashboardPort, functionUrl("invoices"), functionUrl("stats"), stop.Token));

    console.Info($"ready in {clock.Elapsed.TotalSeconds:0.0} s");

    if (options.Seed is { } count)
    {
        await DemoSeed.RunAsync(count, options.Functions[0], authority, console, stop.Token);
    }
    console.Info(Summary(options, stack, cluster, login, location, authority));
}

// The table, last, with a fresh 12-hour token for each demo member.
static string Summary(EmulatorOptions options, LocalStack stack, PostgresCluster cluster, DatabaseLogin login, DataLocation location, LocalAuthority authority)
{
    var lifetime = TimeSpan.FromHours(LocalCallers.TokenHours);
    var tokens = LocalCallers.All.Select(member => (member, authority.IssueToken(member, admin: false, lifetime))).ToList();
    return StartupSummary.Render(new StartupSummary.Content(
        options.Functions, stack.DashboardUrl, tokens, DateTimeOffset.UtcNow + lifetime,
        cluster.SocketDirectory, cluster.Port, login, location.DataDirectory, options.StateFolder));
}
