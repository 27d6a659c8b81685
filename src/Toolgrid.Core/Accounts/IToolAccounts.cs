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

    /// <summary>Makes the tool's user, group and home (with <c>public_html/</c>), and adds the first maintainer to its group.</summary>
    Task<ToolAccount> CreateAsync(string tool, string firstMaintainer, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="user"/> to the tool's group.</summary>
    Task AddMaintainerAsync(string tool, string user, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="user"/> from the tool's group.</summary>
    Task RemoveMaintainerAsync(string tool, string user, CancellationToken cancellationToken);

    /// <summary>Locks the tool's account so nothing runs as it any more. Its files are kept.</summary>
    Task DisableAsync(string tool, CancellationToken cancellationToken);

    /// <summary>Whether a person of this login name exists on this host.</summary>
    bool PersonExists(string user);
}
