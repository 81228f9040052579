namespace InvoiceApi.Tests.Infrastructure;

/// <summary>
/// The slow kinds of test, as xunit traits named "Category": the README's quick inner loop leaves them out with
/// <c>dotnet test --filter "Category!=browser&amp;Category!=publish&amp;Category!=fuzz&amp;Category!=reliability&amp;Category!=emulator"</c>;
/// <c>dotnet test</c> (CI) runs everything.
/// </summary>
public static class Category
{
    /// <summary>Opens the emulator's dashboard page in headless Chromium.</summary>
    public const string Browser = "browser";

    /// <summary>Builds or publishes code (Native AOT publishes, a build against a stand-in framework).</summary>
    public const string Publish = "publish";

    /// <summary>Generated inputs by the thousand: hostile requests (CsCheck), random writes checked against plain aggregates.</summary>
    public const string Fuzz = "fuzz";

    /// <summary>Crashes, load, exhausted pools and shutdowns against real function processes.</summary>
    public const string Reliability = "reliability";

    /// <summary>Starts the emulator as a developer does: its own PostgreSQL and both functions as processes.</summary>
    public const string Emulator = "emulator";
}
