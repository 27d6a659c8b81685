namespace Toolgrid.Accounts;

/// <summary>Who may <c>toolgrid become</c> one tool: one line of the sudoers drop-in.</summary>
/// <param name="Tool">The tool.</param>
/// <param name="UnixUser">The tool's own Unix user, whom they may run anything as.</param>
/// <param name="Users">Who may: the members of the tool's group (its maintainers), then the tool's own user.</param>
internal sealed record BecomeRule(string Tool, string UnixUser, IReadOnlyList<string> Users);
