using Toolgrid.Core.Accounts;

namespace Toolgrid.Accounts;

/// <summary>Where tools' homes are and how their Unix users are made (configuration section <c>Toolgrid:Accounts</c>).</summary>
public sealed class ToolAccountsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Toolgrid:Accounts";

    /// <summary>Where the sudoers drop-in goes unless configured otherwise.</summary>
    public const string DefaultSudoersFile = "/etc/sudoers.d/toolgrid";

    /// <summary>The mode of tools' homes unless configured otherwise: the tool and its maintainers, nobody else.</summary>
    public const string DefaultHomeMode = "2770";

    /// <summary>Where homes are: a tool's home is <c>&lt;DataRoot&gt;/&lt;tool&gt;</c>. Tool Labs' <c>/data/project</c> by default.</summary>
    public string DataRoot { get; set; } = "/data/project";

    /// <summary>The prefix of tools' Unix user and group names (multi-user mode).</summary>
    public string UnixUserPrefix { get; set; } = "tools.";

    /// <summary>The lowest uid (and gid) a tool's user may get.</summary>
    public int UidMin { get; set; } = 50000;

    /// <summary>The highest uid (and gid) a tool's user may get.</summary>
    public int UidMax { get; set; } = 59999;

    /// <summary>The login shell of tools' users (what <c>become</c> starts).</summary>
    public string Shell { get; set; } = "/bin/bash";

    /// <summary>The shell a disabled tool's user gets.</summary>
    public string DisabledShell { get; set; } = "/usr/sbin/nologin";

    /// <summary>The Unix group whose members are admins, besides root; null for root alone.</summary>
    public string? AdminGroup { get; set; }

    /// <summary>
    /// Null to choose by who the server runs as: <see cref="AccountMode.MultiUser"/> as root,
    /// <see cref="AccountMode.SingleUser"/> otherwise. <see cref="AccountMode.SingleUser"/>
    /// forces single-user mode even as root (e.g. in tests of the API).
    /// </summary>
    public AccountMode? Mode { get; set; }

    /// <summary>How long <c>useradd</c> and the like may take before they are killed.</summary>
    public TimeSpan ProgramTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The sudoers drop-in that lets each active tool's maintainers <c>toolgrid become</c> it
    /// (multi-user mode): written whole by Toolgrid, checked with <c>visudo</c> first. Empty
    /// turns the rules off. Its name must not contain '.' or end in '~', or sudo's
    /// <c>@includedir</c> skips it.
    /// </summary>
    public string SudoersFile { get; set; } = DefaultSudoersFile;

    /// <summary>
    /// The mode of each tool's home and its <c>public_html/</c>, in octal. 2770 by default: the
    /// tool's user and group (its maintainers) have everything, other tools and users nothing
    /// (toolgridd, root, serves <c>public_html</c> and reads logs anyway). 2775 lets everyone on
    /// the host read homes. Existing homes are brought to it when toolgridd starts.
    /// </summary>
    public string HomeMode { get; set; } = DefaultHomeMode;

    /// <summary>
    /// Reads an octal home mode: the tool's user must have rwx, and nobody else may write, nor
    /// may it be set-user-id. Null when the text is not such a mode.
    /// </summary>
    public static UnixFileMode? ParseHomeMode(string? text)
    {
        const int OwnerAll = 0b111_000_000, OthersWrite = 0b000_000_010, SetUser = 0b100_000_000_000;
        if (string.IsNullOrEmpty(text) || text.Length > 5 || !text.All(c => c is >= '0' and <= '7'))
        {
            return null;
        }

        var mode = Convert.ToInt32(text, 8);
        return mode > 0b111_111_111_111 || (mode & OwnerAll) != OwnerAll || (mode & (OthersWrite | SetUser)) != 0 ? null : (UnixFileMode)mode;
    }
}
