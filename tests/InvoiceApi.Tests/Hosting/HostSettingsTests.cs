using InvoiceApi.Functions.Hosting;

namespace InvoiceApi.Tests.Hosting;

/// <summary>Target, port and bind address come from the same places as in Google's Functions Framework.</summary>
public sealed class HostSettingsTests
{
    [Fact]
    public void Defaults_are_port_8080_on_loopback_with_no_target()
    {
        var settings = Read([]);

        Assert.Equal(8080, settings.Port);
        Assert.Null(settings.Target);
        Assert.False(settings.BindAllInterfaces);
        Assert.False(settings.OnCloudRun);
    }

    [Fact]
    public void Target_comes_from_the_target_flag()
    {
        Assert.Equal("A.Function", Read(["--target", "A.Function"], ("FUNCTION_TARGET", "B.Function")).Target);
    }

    [Fact]
    public void Target_comes_from_a_single_positional_argument()
    {
        Assert.Equal("A.Function", Read(["A.Function"], ("FUNCTION_TARGET", "B.Function")).Target);
    }

    [Fact]
    public void Target_comes_from_FUNCTION_TARGET_when_no_argument_names_one()
    {
        Assert.Equal("B.Function", Read([], ("FUNCTION_TARGET", "B.Function")).Target);
    }

    [Fact]
    public void Port_comes_from_the_port_flag_before_PORT()
    {
        Assert.Equal(9001, Read(["--port", "9001"], ("PORT", "9002")).Port);
        Assert.Equal(9002, Read([], ("PORT", "9002")).Port);
    }

    [Theory]
    [InlineData("DOTNET_RUNNING_IN_CONTAINER", "true")]
    [InlineData("K_SERVICE", "invoices")]
    public void All_interfaces_are_bound_in_a_container_or_on_Cloud_Run(string variable, string value)
    {
        Assert.True(Read([], (variable, value)).BindAllInterfaces);
    }

    [Theory]
    [InlineData(new[] { "--port", "http" }, "port")]
    [InlineData(new[] { "--port", "70000" }, "port")]
    [InlineData(new[] { "--target" }, "--target needs a value")]
    [InlineData(new[] { "A", "B" }, "at most one positional argument")]
    [InlineData(new[] { "A", "--target", "B" }, "not both")]
    public void Bad_arguments_are_refused_with_a_reason(string[] args, string expected)
    {
        var error = Assert.Throws<HostConfigurationException>(() => Read(args));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static HostSettings Read(string[] args, params (string Name, string Value)[] variables) =>
        HostSettings.Read(args, name => variables.FirstOrDefault(v => v.Name == name).Value);
}
