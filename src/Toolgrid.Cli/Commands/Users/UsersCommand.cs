namespace Toolgrid.Cli.Commands.Users;

/// <summary><c>toolgrid users …</c>: what people may have.</summary>
internal sealed class UsersCommand : CommandGroup
{
    public UsersCommand(CommandHost host)
        : base("users", "See, and (admins) raise, what a person may have.")
    {
        Add(new UserLimitsCommand(host));
    }
}
