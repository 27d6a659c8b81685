namespace Toolgrid.Core.Identity;

/// <summary>What an API token may be used for. Each scope includes the ones below it.</summary>
/// <remarks>
/// A caller on the Unix socket has <see cref="Admin"/>: the kernel vouches for it, and it may do
/// all its user may. A token carries one scope, chosen when it is made.
/// </remarks>
public enum TokenScope
{
    /// <summary>Look only: every GET.</summary>
    Read = 1,

    /// <summary>Read, and run and change jobs and web services.</summary>
    Jobs = 2,

    /// <summary>All its holder may do: besides jobs, tools, maintainers and tokens.</summary>
    Admin = 3,
}
