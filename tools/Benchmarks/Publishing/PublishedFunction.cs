namespace InvoiceApi.Tools.Benchmarks.Publishing;

/// <summary>One function in one build: its executable, or why it could not be published.</summary>
internal sealed record PublishedFunction(string Function, Build Build, string? Executable, string? Failure)
{
    internal bool Usable => Executable is not null;

    internal string Label => Build == Build.Aot ? "Native AOT" : "JIT";
}
