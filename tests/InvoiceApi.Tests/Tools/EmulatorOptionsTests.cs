using InvoiceApi.Functions.Api.Auth;
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
    public void The_token_verb_defaults_to_the_demo_owner_of_the_business_account_for_12_hours_and_takes_a_data_dir()
    {
        Assert.True(TokenCommand.TryParse([], out var defaults, out _));
        Assert.True(TokenCommand.TryParse(["--data-dir", "/tmp/somewhere"], out var elsewhere, out _));

        Assert.Equal(new LocalMember("demo-owner", "ana@demo.local", "demo-business", AccountRole.Owner), defaults.Member);
        Assert.Equal((12, false), (defaults.Hours, defaults.Admin));
        Assert.Equal("/tmp/somewhere", elsewhere.StateFolder);
        Assert.False(TokenCommand.TryParse(["--data-dir"], out _, out var error));
        Assert.StartsWith("--data-dir needs a directory. usage: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_demo_member_keeps_its_seeded_account_and_role_until_account_or_role_is_given()
    {
        LocalMember Member(params string[] args)
        {
            Assert.True(TokenCommand.TryParse(args, out var options, out var error), error);
            return options.Member;
        }

        Assert.Equal(new LocalMember("demo-viewer", "carla@demo.local", "demo-business", AccountRole.Viewer), Member("--user", "demo-viewer"));
        Assert.Equal(new LocalMember("demo-user-2", "dora@demo.local", null, AccountRole.Owner), Member("--user", "demo-user-2"));
        // --role alone sets the role in the member's personal account; the demo member keeps its email.
        Assert.Equal(new LocalMember("demo-viewer", "carla@demo.local", null, AccountRole.Editor), Member("--user", "demo-viewer", "--role", "editor"));
        Assert.Equal(new LocalMember("zoe", null, "acme", AccountRole.Owner), Member("--user", "zoe", "--account", "acme", "--role", "owner"));
        Assert.Equal(new LocalMember("zoe", null, "acme", null), Member("--user", "zoe", "--account", "acme"));
        Assert.Equal(new LocalMember("zoe", null, null, null), Member("--user", "zoe"));
        Assert.Equal(new string('a', 128), Member("--account", new string('a', 128)).AccountId);
    }

    [Theory]
    [InlineData("--role must be viewer, editor or owner, got 'admin'", "--role", "admin")]
    [InlineData("--role must be viewer, editor or owner, got 'Editor'", "--role", "Editor")]
    [InlineData("--role needs viewer, editor or owner", "--role")]
    [InlineData("--account needs an account id of 1 to 128 characters", "--account", " ")]
    [InlineData("--account needs an account id of 1 to 128 characters", "--account")]
    [InlineData("--user needs a member id of 1 to 128 characters", "--user", "")]
    public void A_bad_account_or_role_is_refused_with_one_line_and_the_usage(string problem, params string[] args)
    {
        Assert.False(TokenCommand.TryParse(args, out _, out var error));

        Assert.StartsWith($"{problem}. usage: {EmulatorCommand.Run} token ", error, StringComparison.Ordinal);
        Assert.Contains("[--account ID] [--role viewer|editor|owner]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_account_of_129_characters_is_refused()
    {
        Assert.False(TokenCommand.TryParse(["--account", new string('a', 129)], out _, out var error));

        Assert.StartsWith("--account needs an account id of 1 to 128 characters. usage: ", error, StringComparison.Ordinal);
    }
}
