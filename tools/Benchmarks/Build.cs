namespace InvoiceApi.Tools.Benchmarks;

/// <summary>How a function is published: framework-dependent with the JIT (today's images), or Native AOT.</summary>
internal enum Build
{
    Jit,
    Aot,
}
