using InvoiceApi.Tools.Migrations;

// Ctrl+C or SIGTERM (Cloud Run stopping the job) cancels the current step; its transaction rolls back.
// Never disposed: ProcessExit fires after Main returns, and cancelling a disposed source would crash the exit (code 134).
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
return await MigratorCommand.RunAsync(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error, stop.Token);
