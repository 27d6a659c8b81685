namespace Toolgrid.Core.Accounts;

/// <summary>Makes and changes tools' Unix accounts: user, group, home, maintainers' group membership.</summary>
/// <remarks>
/// Every method is idempotent: calling it again after a crash halfway finishes the job rather
/// than failing, because the API records a tool in the store only after its account exists,
/// and may have to make the account again.
/// </remarks>
public interface IToolAccounts
{
    AccountMode Mode { get; }

    /// <summary>The prefix of tools' Unix user names (e.g. <c>tools.</c>); null in single-user mode.</summary>
    string? UnixUserPrefix { get; }

    /// <summary>
    /// Whether the Unix user named <paramref name="unixUser"/> (with <paramref name="uid"/> when it
    /// is known; else looked up) is a tool's own user: its name has the tools' prefix, or its uid
    /// is in the tools' range. Always false in single-user mode, where tools have no users of their own.
    /// </summary>
    bool IsToolUser(string unixUser, int? uid);

    /// <summary>Makes the tool's user, group and home (with <c>public_html/</c>), and adds the first maintainer to its group.</summary>
    Task<ToolAccount> CreateAsync(string tool, string firstMaintainer, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="user"/> to the tool's group.</summary>
    Task AddMaintainerAsync(string tool, string user, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="user"/> from the tool's group.</summary>
    Task RemoveMaintainerAsync(string tool, string user, CancellationToken cancellationToken);

    /// <summary>Locks the tool's account so nothing runs as it any more. Its files are kept.</summary>
    Task DisableAsync(string tool, CancellationToken cancellationToken);

    /// <summary>
    /// Why <paramref name="user"/> may not be added as a maintainer (no such user, a system
    /// account, <c>nobody</c>, a tool's own user), in words; null when it may.
    /// </summary>
    Identity.PersonRefusal? WhyNotAMaintainer(string user);

    /// <summary>
    /// Makes the rules that let maintainers <c>toolgrid become</c> a tool (a sudoers drop-in)
    /// say exactly: each of <paramref name="activeTools"/> may be become by the members of its
    /// group, and no other tool by anyone.
    /// </summary>
    /// <remarks>
    /// Idempotent; nothing is written when the rules are already so. A new set of rules is
    /// checked before it replaces the old one, and a set that does not check out is refused,
    /// keeping the old one. Adding or removing a maintainer and disabling a tool bring its rule
    /// up to date by themselves; call this at start and after a tool is created or deleted, so
    /// that the rules follow the store. A no-op in single-user mode and when the rules are
    /// turned off. Throws a <see cref="Errors.ToolgridException"/> (<c>sudo-missing</c>) when
    /// sudo is not installed.
    /// </remarks>
    Task SyncBecomeRulesAsync(IReadOnlyCollection<string> activeTools, CancellationToken cancellationToken);

    /// <summary>
    /// Removes <c>&lt;home&gt;/.toolgrid/token</c>, the tool's API token an older toolgridd wrote
    /// there, when its content is a token toolgridd made (<paramref name="isOurs"/>); anything
    /// else is left alone. Reaches nothing through a symbolic link.
    /// </summary>
    Task<LegacyTokenFileOutcome> RemoveLegacyTokenFileAsync(string tool, Func<string, bool> isOurs, CancellationToken cancellationToken);
}
