using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Tools;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Identity;

namespace Toolgrid.Accounts;

/// <summary>Checks <see cref="ToolAccountsOptions"/>, reporting every problem at once.</summary>
public sealed partial class ToolAccountsOptionsValidator : IValidateOptions<ToolAccountsOptions>
{
    /// <summary>The longest prefix: it leaves tool names at least 16 characters.</summary>
    public const int MaxPrefixLength = ToolName.MaxUnixUserNameLength - 16;

    // Ids that must never be a tool's: root and the system accounts below 1000, and the
    // "nobody"/"nogroup" ids (65534) and the "no id" markers (65535, -1).
    private const int LowestToolId = 1000;
    private static readonly int[] ReservedIds = [65534, 65535];

    private readonly IUserDatabase _users;

    public ToolAccountsOptionsValidator(IUserDatabase users)
    {
        _users = users;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();

    public ValidateOptionsResult Validate(string? name, ToolAccountsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var section = ToolAccountsOptions.Section;

        if (string.IsNullOrWhiteSpace(options.DataRoot) || !Path.IsPathFullyQualified(options.DataRoot))
        {
            failures.Add($"{section}:DataRoot must be an absolute path (e.g. /data/project); it is '{options.DataRoot}'.");
        }
        else if (Path.TrimEndingDirectorySeparator(options.DataRoot) == "/")
        {
            failures.Add($"{section}:DataRoot must not be '/'; homes go in a directory of their own (e.g. /data/project).");
        }

        if (string.IsNullOrEmpty(options.UnixUserPrefix) || !PrefixPattern().IsMatch(options.UnixUserPrefix) || options.UnixUserPrefix.Length > MaxPrefixLength)
        {
            failures.Add($"{section}:UnixUserPrefix must be 1 to {MaxPrefixLength} lower-case letters, digits, '_', '.' or '-', starting with a letter or '_' (e.g. 'tools.'); it is '{options.UnixUserPrefix}'. It keeps tools' user names apart from people's.");
        }

        if (options.UidMin < LowestToolId)
        {
            failures.Add($"{section}:UidMin must be at least {LowestToolId}, above the system accounts; it is {options.UidMin}.");
        }

        if (options.UidMax < options.UidMin)
        {
            failures.Add($"{section}:UidMax ({options.UidMax}) must not be below UidMin ({options.UidMin}).");
        }

        foreach (var reserved in ReservedIds.Where(id => id >= options.UidMin && id <= options.UidMax))
        {
            failures.Add($"{section}:UidMin..UidMax ({options.UidMin}..{options.UidMax}) must not hold {reserved}, the id of 'nobody'/'nogroup' or of no one.");
        }

        if (options.PersonUidMin < 1)
        {
            failures.Add($"{section}:PersonUidMin must be at least 1: root is never a maintainer; it is {options.PersonUidMin}.");
        }
        else if (options.PersonUidMin > options.UidMin)
        {
            failures.Add($"{section}:PersonUidMin ({options.PersonUidMin}) must not be above UidMin ({options.UidMin}): people's uids lie below the tools' range.");
        }

        if (string.IsNullOrWhiteSpace(options.Shell) || !Path.IsPathFullyQualified(options.Shell))
        {
            failures.Add($"{section}:Shell must be an absolute path (e.g. /bin/bash); it is '{options.Shell}'.");
        }

        if (string.IsNullOrWhiteSpace(options.DisabledShell) || !Path.IsPathFullyQualified(options.DisabledShell))
        {
            failures.Add($"{section}:DisabledShell must be an absolute path (e.g. /usr/sbin/nologin); it is '{options.DisabledShell}'.");
        }

        if (options.AdminGroup is not null && !UserName.IsValid(options.AdminGroup))
        {
            failures.Add($"{section}:AdminGroup must be a Unix group name (pattern {UserName.Pattern}) or left out; it is '{options.AdminGroup}'.");
        }

        if (options.Mode is { } mode && !Enum.IsDefined(mode))
        {
            failures.Add($"{section}:Mode must be MultiUser, SingleUser or left out; it is '{mode}'.");
        }
        else if (options.Mode == AccountMode.MultiUser && _users.EffectiveUid != 0)
        {
            failures.Add($"{section}:Mode MultiUser needs the server to run as root (it runs as uid {_users.EffectiveUid}); leave Mode out to run single-user.");
        }

        if (options.ProgramTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{section}:ProgramTimeout must be positive (e.g. 00:01:00); it is {options.ProgramTimeout}.");
        }

        if (!string.IsNullOrEmpty(options.SudoersFile))
        {
            var fileName = Path.GetFileName(options.SudoersFile);
            if (!Path.IsPathFullyQualified(options.SudoersFile) || fileName.Length == 0)
            {
                failures.Add($"{section}:SudoersFile must be the absolute path of a file (e.g. {ToolAccountsOptions.DefaultSudoersFile}), or empty to turn the rules of 'toolgrid become' off; it is '{options.SudoersFile}'.");
            }
            else if (fileName.Contains('.', StringComparison.Ordinal) || fileName.EndsWith('~'))
            {
                failures.Add($"{section}:SudoersFile's name must not contain '.' or end in '~', because sudo's @includedir skips such files; it is '{fileName}' (e.g. {ToolAccountsOptions.DefaultSudoersFile}).");
            }
        }

        if (ToolAccountsOptions.ParseHomeMode(options.HomeMode) is null)
        {
            failures.Add($"{section}:HomeMode must be an octal mode that gives the tool's user everything and nobody else write, e.g. {ToolAccountsOptions.DefaultHomeMode} (the tool and its maintainers only) or 2775 (readable by every user of the host); it is '{options.HomeMode}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
