using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Users;

/// <summary><c>toolgrid users limits USER [--max-tools N|default]</c>: shows a person's limits; with an option (admins), changes them.</summary>
internal sealed class UserLimitsCommand : CliCommand
{
    private readonly Argument<string> _user = new("USER") { Description = "The person's login name." };

    private readonly Option<string?> _maxTools = new("--max-tools") { Description = "How many active tools the person may have created, e.g. 50, or 'default' for the site's.", HelpName = "N" };

    public UserLimitsCommand(CommandHost host)
        : base("limits", "Show how many tools a person may create; admins change it with --max-tools.", host)
    {
        Add(_user);
        Add(_maxTools);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var user = cli.Parse.GetValue(_user) ?? "";
        var maxTools = cli.Parse.GetValue(_maxTools);
        if (maxTools is not null && string.IsNullOrWhiteSpace(maxTools))
        {
            problems.Add("maxTools", "--max-tools is empty: give a number of tools, or 'default'.");
        }

        problems.ThrowIfAny();
        var limits = maxTools is null
            ? await cli.Client.GetUserLimitsAsync(user, cancellationToken)
            : await cli.Client.UpdateUserLimitsAsync(user, new UserLimitsUpdate { MaxTools = maxTools }, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(limits, CliJsonContext.Output.UserLimitsView);
        }
        else
        {
            var whose = limits.Raised ? "set by an admin" : "the site's default";
            cli.Say($"{limits.User} may have created {limits.MaxTools} active tools ({whose}); has created {limits.ActiveTools}.");
        }

        return ExitCodes.Ok;
    }
}
