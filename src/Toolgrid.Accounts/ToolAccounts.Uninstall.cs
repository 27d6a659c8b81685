using Toolgrid.Core.Accounts;
using Toolgrid.Core.Errors;

namespace Toolgrid.Accounts;

public sealed partial class ToolAccounts
{
    /// <summary>
    /// Removes what toolgridd put in the host's configuration for <c>toolgrid become</c>: the
    /// sudoers drop-in (<see cref="ToolAccountsOptions.SudoersFile"/>), in multi-user mode.
    /// </summary>
    /// <returns>The file removed, or null when there was none.</returns>
    public string? RemoveBecomeRules()
    {
        if (_sudoers is null || !File.Exists(_sudoers.Path))
        {
            return null;
        }

        File.Delete(_sudoers.Path);
        return _sudoers.Path;
    }

    /// <summary>
    /// Removes every tool's Unix user and group that Toolgrid made (ours: the prefix, an id in the
    /// range, uid = gid), and only those; homes and files stay, owned by the ids that are then free.
    /// </summary>
    /// <returns>The names removed, and what could not be removed (e.g. a user with processes), in words.</returns>
    public async Task<(IReadOnlyList<string> Removed, IReadOnlyList<string> Problems)> RemoveToolUsersAsync(CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        var problems = new List<string>();
        if (Mode != AccountMode.MultiUser)
        {
            return (removed, problems);
        }

        var ours = _users.ListUsers()
            .Where(u => u.Name.StartsWith(_options.UnixUserPrefix, StringComparison.Ordinal) && InRange(u.Uid) && u.Gid == u.Uid)
            .Select(u => u.Name)
            .ToList();
        foreach (var name in ours)
        {
            try
            {
                await _programs.DeleteUserAsync(name, cancellationToken);
                if (_users.FindGroup(name) is { } group && group.Gid >= _options.UidMin && group.Gid <= _options.UidMax)
                {
                    await _programs.DeleteGroupAsync(name, cancellationToken);
                }

                removed.Add(name);
            }
            catch (ToolgridException e)
            {
                problems.Add(e.Message);
            }
        }

        return (removed, problems);
    }
}
