using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Tools;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;

namespace Toolgrid.Accounts;

/// <summary>
/// Tools' Unix accounts on this host: a user and a group <c>&lt;prefix&gt;&lt;tool&gt;</c> with
/// uid = gid, a home <c>&lt;DataRoot&gt;/&lt;tool&gt;</c> with <c>public_html/</c>, and the
/// maintainers as members of the group.
/// </summary>
/// <remarks>
/// <para>
/// Multi-user mode (the server runs as root): the user database is changed with the shadow
/// suite (<c>groupadd</c>, <c>useradd</c>, <c>gpasswd</c>, <c>usermod</c>). Single-user mode
/// (any other user): every tool runs as the server's own user, so only homes are made and
/// membership changes are no-ops.
/// </para>
/// <para>
/// Every method is idempotent, and a creation that died halfway is finished by calling it
/// again. A user or group of a tool's name that Toolgrid did not make (an id outside
/// <see cref="ToolAccountsOptions.UidMin"/>..<see cref="ToolAccountsOptions.UidMax"/>, or uid ≠ gid)
/// is never taken over, changed or locked: the request is refused instead.
/// </para>
/// </remarks>
public sealed partial class ToolAccounts : IToolAccounts
{
    private const int CreateAttempts = 5;

    // Choosing a free id and taking it are two steps; two creations in between would take the
    // same id. The user database is one per host, so the lock is one per process, whatever
    // the number of instances. Other processes are caught by useradd/groupadd refusing an id
    // that is taken, after which the creation starts over (see EnsureUserAndGroupAsync).
    private static readonly SemaphoreSlim CreationLock = new(1, 1);

    private readonly IUserDatabase _users;
    private readonly ToolAccountsOptions _options;
    private readonly ShadowPrograms _programs;
    private readonly SudoersFile? _sudoers;
    private readonly ILogger<ToolAccounts> _logger;

    public ToolAccounts(IUserDatabase users, IOptions<ToolAccountsOptions> options, TimeProvider timeProvider, ILogger<ToolAccounts> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _users = users;
        _options = options.Value;
        _logger = logger;
        _programs = new ShadowPrograms(timeProvider, _options.ProgramTimeout, logger);
        Mode = _options.Mode ?? (users.EffectiveUid == 0 ? AccountMode.MultiUser : AccountMode.SingleUser);
        _sudoers = Mode == AccountMode.MultiUser && !string.IsNullOrEmpty(_options.SudoersFile) ? new SudoersFile(_options.SudoersFile, _programs) : null;
        HomeMode = ToolAccountsOptions.ParseHomeMode(_options.HomeMode) ?? ToolAccountsOptions.ParseHomeMode(ToolAccountsOptions.DefaultHomeMode)!.Value;
        Log.ModeChosen(_logger, Mode, _users.EffectiveUid, _options.DataRoot);
    }

    public AccountMode Mode { get; }

    /// <summary>The mode tools' homes and their <c>public_html/</c> get (<see cref="ToolAccountsOptions.HomeMode"/>).</summary>
    public UnixFileMode HomeMode { get; }

    public string? UnixUserPrefix => Mode == AccountMode.MultiUser ? _options.UnixUserPrefix : null;

    /// <summary>Where the tool's home is (whether or not it exists).</summary>
    public string HomeOf(string tool) => Path.Combine(_options.DataRoot, tool);

    /// <summary>The Unix user the tool runs as: its own in multi-user mode, the server's in single-user mode.</summary>
    public string UnixUserOf(string tool) =>
        Mode == AccountMode.MultiUser ? _options.UnixUserPrefix + tool : CurrentUserName();

    /// <summary>
    /// The tool whose own user <paramref name="user"/> is, or null for a person (and always null in
    /// single-user mode, where tools have no users of their own).
    /// </summary>
    public string? ToolOf(UnixUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (Mode != AccountMode.MultiUser || !user.Name.StartsWith(_options.UnixUserPrefix, StringComparison.Ordinal) || !InRange(user.Uid))
        {
            return null;
        }

        var tool = user.Name[_options.UnixUserPrefix.Length..];
        return ToolName.IsValid(tool) ? tool : null;
    }

    public bool IsToolUser(string unixUser, int? uid)
    {
        ArgumentNullException.ThrowIfNull(unixUser);
        if (Mode != AccountMode.MultiUser)
        {
            return false;
        }

        if (uid is { } id)
        {
            return IsToolUser(unixUser, id);
        }

        return UserName.IsValid(unixUser) && _users.FindUser(unixUser) is { } entry
            ? IsToolUser(entry)
            : unixUser.StartsWith(_options.UnixUserPrefix, StringComparison.Ordinal);
    }

    public async Task<ToolAccount> CreateAsync(string tool, string firstMaintainer, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        ToolName.Validate(tool, UnixUserPrefix, problems);
        UserName.Validate(firstMaintainer, problems, "maintainer");
        problems.ThrowIfAny();

        if (Mode == AccountMode.SingleUser)
        {
            var home = ToolHome.Prepare(_options.DataRoot, tool, owner: null, HomeMode);
            var me = CurrentUserName();
            Log.HomeMadeSingleUser(_logger, tool, home, me);
            return new ToolAccount(me, _users.EffectiveUid, _users.EffectiveGid, home);
        }

        DemandPerson(firstMaintainer, "maintainer");
        var unixName = _options.UnixUserPrefix + tool;
        int id;
        await CreationLock.WaitAsync(cancellationToken);
        try
        {
            id = await EnsureUserAndGroupAsync(tool, unixName, cancellationToken);
        }
        finally
        {
            CreationLock.Release();
        }

        var made = ToolHome.Prepare(_options.DataRoot, tool, (id, id), HomeMode);
        await AddToGroupAsync(tool, firstMaintainer, unixName, cancellationToken);
        await GrantBecomeAsync(tool, cancellationToken);
        Log.AccountReady(_logger, tool, unixName, id, made);
        return new ToolAccount(unixName, id, id, made);
    }

    public async Task AddMaintainerAsync(string tool, string user, CancellationToken cancellationToken)
    {
        ValidateNames(tool, user);
        if (Mode == AccountMode.SingleUser)
        {
            Log.NothingToDoSingleUser(_logger, "add maintainer", tool);
            return;
        }

        var group = RequireToolGroup(tool);
        if (WhyNotAMaintainer(user) is { } why)
        {
            throw new ValidationException("user", why.Reason);
        }

        await AddToGroupAsync(tool, user, group.Name, cancellationToken);
        await GrantBecomeAsync(tool, cancellationToken);
    }

    public async Task RemoveMaintainerAsync(string tool, string user, CancellationToken cancellationToken)
    {
        ValidateNames(tool, user);
        if (Mode == AccountMode.SingleUser)
        {
            Log.NothingToDoSingleUser(_logger, "remove maintainer", tool);
            return;
        }

        var unixName = _options.UnixUserPrefix + tool;
        var group = _users.FindGroup(unixName);
        if (group is not null)
        {
            DemandOurs(tool, group);
        }

        // Access goes first: the rule of 'become' is rewritten without them before they leave the
        // group, and again when they were gone already (a removal that failed halfway).
        await RevokeBecomeAsync(tool, stillActive: true, leaving: user, cancellationToken);
        if (group is null || !group.Members.Contains(user, StringComparer.Ordinal))
        {
            // No group, no member: what was asked for is true already.
            Log.MaintainerAlreadyRemoved(_logger, tool, user);
            return;
        }

        try
        {
            await _programs.RemoveFromGroupAsync(user, unixName, cancellationToken);
        }
        catch (ToolgridException) when (_users.FindGroup(unixName) is { } now && !now.Members.Contains(user, StringComparer.Ordinal))
        {
            // Removed by someone else meanwhile.
        }

        Log.MaintainerRemoved(_logger, tool, user);
    }

    public async Task DisableAsync(string tool, CancellationToken cancellationToken)
    {
        ValidateNames(tool, user: null);
        if (Mode == AccountMode.SingleUser)
        {
            Log.NothingToDoSingleUser(_logger, "disable", tool);
            return;
        }

        // Access goes first: nobody may become the tool from here on.
        await RevokeBecomeAsync(tool, stillActive: false, leaving: null, cancellationToken);
        var unixName = _options.UnixUserPrefix + tool;
        var user = _users.FindUser(unixName)
            ?? throw ToolgridException.NotFound("tool-account-not-found", $"Tool '{tool}' has no Unix user '{unixName}' on this host, so there is nothing to disable.");
        if (!InRange(user.Uid) || user.Gid != user.Uid)
        {
            throw NotOurs(tool, $"Unix user '{unixName}' has uid {user.Uid} and gid {user.Gid}");
        }

        // usermod leaves a locked password locked (it does not add a second '!'), so doing it
        // again changes nothing.
        await _programs.LockUserAsync(unixName, _options.DisabledShell, cancellationToken);
        Log.AccountDisabled(_logger, tool, unixName);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A few small reads and one unlink through descriptors, done before this returns; a
    /// failure to remove a file that is ours is thrown as a <see cref="ToolgridException"/>
    /// that names the path.
    /// </remarks>
    public Task<LegacyTokenFileOutcome> RemoveLegacyTokenFileAsync(string tool, Func<string, bool> isOurs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isOurs);
        ValidateNames(tool, user: null);
        cancellationToken.ThrowIfCancellationRequested();
        var outcome = LegacyTokenFile.Remove(_options.DataRoot, tool, isOurs);
        if (outcome != LegacyTokenFileOutcome.Absent)
        {
            Log.LegacyTokenFile(_logger, tool, outcome);
        }

        return Task.FromResult(outcome);
    }

    /// <inheritdoc/>
    public PersonRefusal? WhyNotAMaintainer(string user)
    {
        if (!UserName.IsValid(user))
        {
            return new PersonRefusal($"'{InputText.Shorten(user)}' is not a valid user name.", NoSuchUser: true);
        }

        var entry = _users.FindUser(user);
        var multiUser = Mode == AccountMode.MultiUser;
        return PersonRule.WhyNotAPerson(
            user,
            entry?.Uid,
            entry is not null && multiUser ? ToolOf(entry) : null,
            entry is not null && multiUser && IsToolUser(entry),
            _options.PersonUidMin,
            $"{ToolAccountsOptions.Section}:{nameof(ToolAccountsOptions.PersonUidMin)}");
    }

    /// <summary>Whether a user of this name exists and is not a tool's: what a tool's first maintainer (its creator) must be.</summary>
    private bool PersonExists(string user)
    {
        if (!UserName.IsValid(user) || _users.FindUser(user) is not { } entry)
        {
            return false;
        }

        return Mode == AccountMode.SingleUser || !IsToolUser(entry);
    }

    /// <summary>Makes whichever of the tool's group and user is missing; returns their id.</summary>
    private async Task<int> EnsureUserAndGroupAsync(string tool, string unixName, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var user = _users.FindUser(unixName);
            var group = _users.FindGroup(unixName);
            var id = ChooseId(tool, unixName, user, group);
            if (user is not null && group is not null)
            {
                if (!string.Equals(user.Home, HomeOf(tool), StringComparison.Ordinal))
                {
                    Log.HomeDiffers(_logger, tool, unixName, user.Home, HomeOf(tool));
                }

                return id;
            }

            // When useradd or groupadd fails because another process made this name or took
            // this id between our look and our change, look again and carry on from what is
            // there now.
            if (group is null)
            {
                try
                {
                    await _programs.AddGroupAsync(unixName, id, cancellationToken);
                    Log.GroupMade(_logger, tool, unixName, id);
                }
                catch (ToolgridException e) when (attempt < CreateAttempts && (_users.FindGroup(unixName) is not null || _users.FindGroup(id) is not null))
                {
                    Log.CreationRaced(_logger, tool, attempt, e.Message);
                    continue;
                }
            }

            if (user is null)
            {
                try
                {
                    await _programs.AddUserAsync(unixName, id, id, HomeOf(tool), _options.Shell, $"Toolgrid tool {tool}", cancellationToken);
                    Log.UserMade(_logger, tool, unixName, id);
                }
                catch (ToolgridException e) when (attempt < CreateAttempts && (_users.FindUser(unixName) is not null || _users.FindUser(id) is not null))
                {
                    Log.CreationRaced(_logger, tool, attempt, e.Message);
                    continue;
                }
            }

            return id;
        }
    }

    /// <summary>The id of the tool's user and group: the one they have, or a free one.</summary>
    private int ChooseId(string tool, string unixName, UnixUser? user, UnixGroup? group)
    {
        if (user is not null)
        {
            if (!InRange(user.Uid))
            {
                throw NotOurs(tool, $"Unix user '{unixName}' exists with uid {user.Uid}, outside the tools' range {_options.UidMin}..{_options.UidMax}");
            }

            if (user.Gid != user.Uid)
            {
                throw NotOurs(tool, $"Unix user '{unixName}' has primary group id {user.Gid}, not its uid {user.Uid}");
            }

            if (group is null)
            {
                throw NotOurs(tool, $"Unix user '{unixName}' exists but group '{unixName}' does not");
            }

            if (group.Gid != user.Uid)
            {
                throw NotOurs(tool, $"group '{unixName}' has gid {group.Gid} but user '{unixName}' has uid {user.Uid}");
            }

            return user.Uid;
        }

        if (group is not null)
        {
            if (!InRange(group.Gid))
            {
                throw NotOurs(tool, $"group '{unixName}' exists with gid {group.Gid}, outside the tools' range {_options.UidMin}..{_options.UidMax}");
            }

            if (_users.FindUser(group.Gid) is { } holder)
            {
                throw NotOurs(tool, $"group '{unixName}' has gid {group.Gid}, but that uid belongs to user '{holder.Name}'");
            }

            // A creation that made the group and died before making the user.
            return group.Gid;
        }

        return FreeId();
    }

    /// <summary>The lowest id in the range that is neither a uid nor a gid.</summary>
    private int FreeId()
    {
        // One pass over what the database will enumerate, rather than two lookups for every id
        // taken (each of which reads the whole of /etc/passwd or /etc/group)...
        var taken = new HashSet<int>();
        taken.UnionWith(_users.ListUsers().Select(u => u.Uid).Where(InRange));
        taken.UnionWith(_users.ListGroups().Select(g => g.Gid).Where(InRange));
        for (var id = _options.UidMin; id <= _options.UidMax; id++)
        {
            // ...then a lookup of the one chosen, for directories that do not enumerate.
            if (!taken.Contains(id) && _users.FindUser(id) is null && _users.FindGroup(id) is null)
            {
                return id;
            }
        }

        throw new ToolgridException(
            ErrorKind.Unavailable,
            "tool-ids-exhausted",
            $"Every id from {_options.UidMin} to {_options.UidMax} is taken, so no more tool accounts can be made; an admin must widen {ToolAccountsOptions.Section}:UidMin..UidMax.");
    }

    private async Task AddToGroupAsync(string tool, string user, string group, CancellationToken cancellationToken)
    {
        if (_users.FindGroup(group) is { } entry && entry.Members.Contains(user, StringComparer.Ordinal))
        {
            Log.MaintainerAlreadyAdded(_logger, tool, user);
            return;
        }

        try
        {
            await _programs.AddToGroupAsync(user, group, cancellationToken);
        }
        catch (ToolgridException) when (_users.FindGroup(group) is { } now && now.Members.Contains(user, StringComparer.Ordinal))
        {
            // Added by someone else meanwhile.
        }

        Log.MaintainerAdded(_logger, tool, user);
    }

    private UnixGroup RequireToolGroup(string tool)
    {
        var unixName = _options.UnixUserPrefix + tool;
        var group = _users.FindGroup(unixName)
            ?? throw ToolgridException.NotFound("tool-account-not-found", $"Tool '{tool}' has no Unix group '{unixName}' on this host; create the tool first ('toolgrid tools create {tool}').");
        DemandOurs(tool, group);
        return group;
    }

    private void DemandOurs(string tool, UnixGroup group)
    {
        if (!InRange(group.Gid))
        {
            throw NotOurs(tool, $"group '{group.Name}' has gid {group.Gid}, outside the tools' range {_options.UidMin}..{_options.UidMax}");
        }
    }

    private void DemandPerson(string user, string field)
    {
        if (!PersonExists(user))
        {
            var why = _users.FindUser(user) is null
                ? $"there is no user '{user}' on this host"
                : $"'{user}' is a tool's own user, not a person";
            throw new ValidationException(field, $"{why}; a maintainer must be a person with a login on this host.");
        }
    }

    private void ValidateNames(string tool, string? user)
    {
        var problems = new Problems();
        ToolName.Validate(tool, UnixUserPrefix, problems, "tool");
        if (user is not null)
        {
            UserName.Validate(user, problems);
        }

        problems.ThrowIfAny();
    }

    private bool IsToolUser(UnixUser user) => IsToolUser(user.Name, user.Uid);

    private bool IsToolUser(string name, int uid) =>
        name.StartsWith(_options.UnixUserPrefix, StringComparison.Ordinal) || InRange(uid);

    private bool InRange(int id) => id >= _options.UidMin && id <= _options.UidMax;

    private string CurrentUserName() =>
        _users.FindUser(_users.EffectiveUid)?.Name ?? _users.EffectiveUid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private ToolgridException NotOurs(string tool, string what) =>
        ToolgridException.Conflict(
            "unix-account-not-ours",
            $"Cannot use '{_options.UnixUserPrefix}{tool}' for tool '{tool}': {what}. Toolgrid did not make it and will not take it over; choose another tool name, or have an admin remove or fix that account.");
}
