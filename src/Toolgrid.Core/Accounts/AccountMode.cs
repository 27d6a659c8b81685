namespace Toolgrid.Core.Accounts;

/// <summary>How tools map to Unix users.</summary>
public enum AccountMode
{
    /// <summary>Running as root: each tool is a real Unix user and group, fully isolated.</summary>
    MultiUser,

    /// <summary>Running as an ordinary user: every tool runs as that user; there is no isolation between tools.</summary>
    SingleUser,
}
