using InvoiceApi.Tools.Emulator;

namespace InvoiceApi.Tests.Tools;

/// <summary>The emulator's and the token verb's new flags: what they accept and the one-line refusal of anything else.</summary>
public sealed class EmulatorOptionsTests
{
    [Fact]
    public void Seed_and_data_dir_are_read_and_the_data_dir_made_absolute()
    {
        Assert.True(EmulatorCommand.TryParse(["--seed", "2000", "--data-dir", "tmp/x"], out var options, out _));

        Assert.Equal(2000, options.Seed);
        Assert.Equal(Path.GetFullPath("tmp/x"), options.StateFolder);
        Assert.True(EmulatorCommand.TryParse([], out var defaults, out _));
        Assert.Null(defaults.Seed);
        Assert.Null(defaults.StateFolder);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    [InlineData("many")]
    [InlineData(null)]
    public void A_seed_outside_1_to_100000_is_refused_with_the_usage(string? count)
    {
        string[] args = count is null ? ["--seed"] : ["--seed", count];

        Assert.False(EmulatorCommand.TryParse(args, out _, out var error));

        Assert.StartsWith("--seed needs a number of invoices from 1 to 100000. usage: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_verb_defaults_to_demo_user_1_for_12_hours_and_takes_a_data_dir()
    {
        Assert.True(TokenCommand.TryParse([], out var defaults, out _));
        Assert.True(TokenCommand.TryParse(["--data-dir", "/tmp/somewhere"], out var elsewhere, out _));

        Assert.Equal(("demo-user-1", 12, false), (defaults.UserId, defaults.Hours, defaults.Admin));
        Assert.Equal("/tmp/somewhere", elsewhere.StateFolder);
        Assert.False(TokenCommand.TryParse(["--data-dir"], out _, out var error));
        Assert.StartsWith("--data-dir needs a directory. usage: ", error, StringComparison.Ordinal);
    }
}
