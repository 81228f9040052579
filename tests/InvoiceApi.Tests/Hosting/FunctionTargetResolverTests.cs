using InvoiceApi.Functions.Hosting;
using InvoiceApi.Tests.Hosting.TestFunctions;

namespace InvoiceApi.Tests.Hosting;

/// <summary>The function to serve is the named target, or the only function in the assembly.</summary>
public sealed class FunctionTargetResolverTests
{
    [Theory]
    [InlineData(typeof(Invoices.Startup))]
    [InlineData(typeof(Stats.Startup))]
    public void The_only_function_of_an_assembly_is_chosen_without_a_target(Type marker)
    {
        var function = FunctionTargetResolver.Resolve(marker.Assembly, target: null);

        Assert.Equal($"{marker.Namespace}.Function", function.FullName);
    }

    [Fact]
    public void Several_functions_without_a_target_is_an_error_naming_them_and_the_ways_to_choose()
    {
        var error = Assert.Throws<HostConfigurationException>(() => FunctionTargetResolver.Resolve(typeof(EchoFunction).Assembly, target: null));

        Assert.Contains(typeof(EchoFunction).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(ThrowingFunction).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("FUNCTION_TARGET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_target_is_chosen()
    {
        Assert.Equal(typeof(ThrowingFunction), FunctionTargetResolver.Resolve(typeof(EchoFunction).Assembly, typeof(ThrowingFunction).FullName));
    }

    [Theory]
    [InlineData("No.Such.Function", "was not found")]
    [InlineData("InvoiceApi.Tests.Hosting.TestFunctions.CallCounter", "not a non-abstract class implementing IHttpFunction")]
    public void A_target_that_is_not_a_function_is_an_error(string target, string expected)
    {
        var error = Assert.Throws<HostConfigurationException>(() => FunctionTargetResolver.Resolve(typeof(EchoFunction).Assembly, target));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
