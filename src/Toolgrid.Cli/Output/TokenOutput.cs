using System.Globalization;
using Spectre.Console;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Output;

/// <summary>API tokens (<c>tokens list</c>); their secrets are never shown again after creation.</summary>
internal static class TokenOutput
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<TokenView> tokens, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0)
        {
            console.WriteLine("No tokens. Make one with: toolgrid tokens create --name NAME");
            return;
        }

        var table = Tables.New("ID", "NAME", "SCOPE", "CREATED", "EXPIRES", "LAST USED", "MADE BY");
        foreach (var token in tokens)
        {
            Tables.AddRow(
                table,
                token.Id.ToString(CultureInfo.InvariantCulture),
                token.Name,
                token.Scope,
                times.Both(token.CreatedAt),
                Expires(token, times),
                token.LastUsedAt is { } used ? times.Relative(used) : "never",
                token.MadeBy);
        }

        console.Write(table);
    }

    public static string Expires(TokenView token, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(times);
        var at = token.ExpiresAt;
        return at <= times.Now ? $"expired {times.Relative(at)}" : times.Both(at);
    }
}
