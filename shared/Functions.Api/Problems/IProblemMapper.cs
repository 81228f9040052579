namespace InvoiceApi.Functions.Api.Problems;

/// <summary>
/// Turns an exception a library knows about (for example "database unreachable") into a problem
/// instead of a generic 500. Register implementations as singletons; the first that answers wins.
/// </summary>
public interface IProblemMapper
{
    /// <summary>The problem for <paramref name="exception"/>, or null when this mapper does not know it.</summary>
    Problem? TryMap(Exception exception);
}
