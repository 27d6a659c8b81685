using Toolgrid.Contracts.Tools;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;

namespace Toolgrid.Accounts;

/// <summary>The rules of <c>toolgrid become</c>: a sudoers drop-in kept in step with tools and their maintainers.</summary>
/// <remarks>
/// <para>
/// <see cref="SyncBecomeRulesAsync"/> writes the whole file from the store's list of active
/// tools (at start, after a tool is created or deleted). Between two syncs the accounts keep
/// it in step themselves: a creation or a new maintainer adds or refreshes the tool's line
/// (a grant: when it fails, it is logged and waits for the next sync), a removed maintainer
/// or a disabled tool takes it away (a revocation: when it fails, the call fails, so that it
/// is asked again). Each line is made from the user database as it is at that moment.
/// </para>
/// <para>
/// A tool gets a line only when its user and group are ours and its account is not disabled,
/// whatever list it came in: a stale list cannot give a deleted tool back its line.
/// </para>
/// </remarks>
public sealed partial class ToolAccounts
{
    // One writer of the drop-in at a time in this process (there is one drop-in per host).
    private static readonly SemaphoreSlim BecomeRulesLock = new(1, 1);

    public async Task SyncBecomeRulesAsync(IReadOnlyCollection<string> activeTools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activeTools);
        var problems = new Problems();
        foreach (var tool in activeTools.Where(t => !ToolName.IsValid(t)))
        {
            problems.Add("activeTools", $"'{InputText.Shorten(tool)}' is not a tool name.");
        }

        problems.ThrowIfAny();
        if (_sudoers is null)
        {
            Log.BecomeRulesOff(_logger, Mode, _options.SudoersFile);
            return;
        }

        var visudo = RequireSudo();
        await BecomeRulesLock.WaitAsync(cancellationToken);
        try
        {
            await WriteBecomeRulesAsync(_sudoers, visudo, activeTools, leaving: null, cancellationToken);
        }
        finally
        {
            BecomeRulesLock.Release();
        }
    }

    /// <summary>Adds or refreshes the tool's line. A failure is logged: the next sync puts the line in.</summary>
    private async Task GrantBecomeAsync(string tool, CancellationToken cancellationToken)
    {
        try
        {
            await UpdateBecomeRulesAsync(tool, stillActive: true, leaving: null, cancellationToken);
        }
        catch (ToolgridException e)
        {
            Log.BecomeRuleNotGranted(_logger, tool, e.Message);
        }
    }

    /// <summary>Takes <paramref name="leaving"/> (or, when the tool is no longer active, everyone) off the tool's line.</summary>
    private Task RevokeBecomeAsync(string tool, bool stillActive, string? leaving, CancellationToken cancellationToken) =>
        UpdateBecomeRulesAsync(tool, stillActive, leaving, cancellationToken);

    /// <summary>Rewrites the drop-in for the tools it has now, with <paramref name="tool"/> in or out.</summary>
    private async Task UpdateBecomeRulesAsync(string tool, bool stillActive, string? leaving, CancellationToken cancellationToken)
    {
        if (_sudoers is null)
        {
            return;
        }

        if (FindSudo() is not { } visudo)
        {
            // Without sudo there is no rule to keep in step; the next sync says so.
            Log.BecomeRulesNoSudo(_logger, tool);
            return;
        }

        await BecomeRulesLock.WaitAsync(cancellationToken);
        try
        {
            var text = _sudoers.Read();
            if (text is null && !stillActive)
            {
                return;
            }

            var tools = (text is null ? [] : BecomeRules.UnixUsersIn(text))
                .Where(u => u.StartsWith(_options.UnixUserPrefix, StringComparison.Ordinal))
                .Select(u => u[_options.UnixUserPrefix.Length..])
                .Where(ToolName.IsValid)
                .ToHashSet(StringComparer.Ordinal);
            if (stillActive)
            {
                tools.Add(tool);
            }
            else
            {
                tools.Remove(tool);
            }

            await WriteBecomeRulesAsync(_sudoers, visudo, tools, leaving is null ? null : (tool, leaving), cancellationToken);
        }
        finally
        {
            BecomeRulesLock.Release();
        }
    }

    private async Task WriteBecomeRulesAsync(SudoersFile sudoers, string visudo, IEnumerable<string> tools, (string Tool, string User)? leaving, CancellationToken cancellationToken)
    {
        var rules = tools.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(tool => RuleOf(tool, leaving is var (t, u) && t == tool ? u : null))
            .OfType<BecomeRule>()
            .ToList();
        if (await sudoers.ReplaceAsync(BecomeRules.Render(rules), visudo, cancellationToken))
        {
            Log.BecomeRulesWritten(_logger, sudoers.Path, rules.Count);
        }
        else
        {
            Log.BecomeRulesUnchanged(_logger, sudoers.Path, rules.Count);
        }
    }

    /// <summary>The tool's line: the people in its group (but <paramref name="leaving"/>) and its own user; null when it may have none.</summary>
    private BecomeRule? RuleOf(string tool, string? leaving)
    {
        var unixName = _options.UnixUserPrefix + tool;
        var user = _users.FindUser(unixName);
        var group = _users.FindGroup(unixName);
        string? why = null;
        if (user is null || group is null)
        {
            why = $"it has no Unix user or group '{unixName}' on this host";
        }
        else if (!InRange(user.Uid) || user.Gid != user.Uid || group.Gid != user.Uid)
        {
            why = $"Unix user '{unixName}' (uid {user.Uid}, gid {user.Gid}) or its group (gid {group.Gid}) was not made by Toolgrid";
        }
        else if (string.Equals(user.Shell, _options.DisabledShell, StringComparison.Ordinal))
        {
            why = "its account is disabled";
        }

        if (why is not null)
        {
            Log.BecomeRuleLeftOut(_logger, tool, why);
            return null;
        }

        // People only: a tool's user in another tool's group (which the API never makes) gets nothing.
        var people = group!.Members
            .Where(m => UserName.IsValid(m) && !string.Equals(m, leaving, StringComparison.Ordinal) && PersonExists(m))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return new BecomeRule(tool, unixName, [.. people, unixName]);
    }

    private string RequireSudo() =>
        FindSudo() ?? throw ToolgridException.Unavailable(
            "sudo-missing",
            $"sudo is not installed on this host, so maintainers cannot 'toolgrid become' their tools: install it (Debian: apt-get install sudo); "
            + $"toolgridd then writes the rules to {_options.SudoersFile} when it next starts or a tool is created. "
            + $"To do without 'become', set {ToolAccountsOptions.Section}:SudoersFile to \"\".");

    /// <summary>visudo's path, when sudo is installed.</summary>
    private static string? FindSudo() =>
        ShadowPrograms.Find("sudo") is not null ? ShadowPrograms.Find("visudo") : null;
}
