using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;

namespace InvoiceApi.Tools.CommandLine;

/// <summary>
/// What every tool's command line does the same way (this file is compiled into each tool): <c>--help</c> on any command
/// prints System.CommandLine's help on stdout; a command line that does not parse is one line on stderr that names what
/// is wrong and ends with the usage, and the tool exits with its own usage code.
/// </summary>
internal static class ToolCommandLine
{
    // "@alice" is a value as typed (a caller id, a path), not a response file to read more arguments from.
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    internal static ParseResult Parse(Command command, IReadOnlyList<string> args) => command.Parse(args, Parsing);

    /// <summary>Runs the chosen command's action (or the help); a command line that does not parse exits with <paramref name="usageExitCode"/>.</summary>
    internal static async Task<int> InvokeAsync(
        Command command, IReadOnlyList<string> args, int usageExitCode, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var result = Parse(command, args);
        if (ErrorLine(result) is { } line)
        {
            await (error ?? Console.Error).WriteLineAsync(line);
            return usageExitCode;
        }
        // The tools stop on Ctrl+C or SIGTERM themselves and let their own failures surface: System.CommandLine does neither.
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        if (output is not null)
        {
            invocation.Output = output;
        }
        if (error is not null)
        {
            invocation.Error = error;
        }
        return await result.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>"{what is wrong}. usage: ..." for a command line that does not parse; null when it parses or asks for the help.</summary>
    internal static string? ErrorLine(ParseResult result)
    {
        if (result.Action is not ParseErrorAction)
        {
            return null;
        }
        var command = result.CommandResult.Command;
        // An option's own refusal (its value) first, then a word nobody expected, then what is wrong with the whole command.
        var problem = result.Errors.FirstOrDefault(error => error.SymbolResult is OptionResult or ArgumentResult)?.Message
            ?? (result.UnmatchedTokens.Count > 0 ? Unexpected(result.UnmatchedTokens[0], command) : result.Errors[0].Message);
        return $"{problem.TrimEnd('.')}. {Usage(command)}";
    }

    /// <summary>"usage: {name} [subcommand] [--option VALUE]... [--help]", from the command's own definition.</summary>
    internal static string Usage(Command command)
    {
        var words = new List<string>();
        for (Command? current = command; current is not null; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            words.Insert(0, current is RootCommand root ? root.HelpName ?? root.Name : current.Name);
        }
        if (command.Action is null && command.Subcommands.Count > 0)
        {
            words.Add($"<{string.Join('|', command.Subcommands.Select(subcommand => subcommand.Name))}>");
        }
        words.AddRange(command.Options
            .Where(option => option is not (HelpOption or VersionOption) && !option.Hidden)
            .Select(option => option.Arity.MaximumNumberOfValues == 0 ? $"[{option.Name}]" : $"[{option.Name} {option.HelpName}]"));
        words.Add("[--help]");
        return "usage: " + string.Join(' ', words);
    }

    /// <summary>A flag such as <c>--fresh</c>: present or not, no value after it.</summary>
    internal static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>
    /// An option that takes one value, read by <paramref name="read"/> (null refuses it); a missing value and a refused
    /// one are both answered with <paramref name="problem"/>(the value as typed, or null when missing). The option's
    /// value is null when it is not given.
    /// </summary>
    internal static Option<T> Value<T>(string name, string helpName, string description, Func<string, T> read, Func<string?, string> problem) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            // Zero or one, so that a missing value reaches the parser below and gets the option's own words.
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result =>
            {
                var text = result.Tokens is [var token] ? token.Value : null;
                if (text is not null && read(text) is { } value)
                {
                    return value;
                }
                result.AddError(problem(text));
                return default;
            },
        };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, digits only; null otherwise.</summary>
    internal static int? WholeNumber(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max ? number : null;

    private static string Unexpected(string token, Command command) =>
        token.StartsWith('-') ? $"unknown option '{token}'"
        : command.Subcommands.Count > 0 ? $"unknown command '{token}'"
        : $"unexpected argument '{token}'";
}
