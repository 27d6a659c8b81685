using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Toolgrid.Cli.Commands;

/// <summary>Options and arguments that take a whole number, with an error that names the option (not a .NET type).</summary>
internal static class WholeNumber
{
    public static Option<int?> Option(string name, string description, string helpName, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => Parse(result, out var value) ? (int)value : null,
    };

    public static Argument<long> Argument(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => Parse(result, out var value) ? value : 0,
    };

    private static bool Parse(ArgumentResult result, out long value)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
            && (result.Argument.ValueType != typeof(int?) || value is >= int.MinValue and <= int.MaxValue))
        {
            return true;
        }

        var name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        result.AddError($"{name}: '{token}' is not a whole number.");
        return false;
    }
}
