namespace Toolgrid.Contracts.Jobs;

/// <summary>The environment variables the platform sets for every run (docs/user-guide.md): a job cannot set them itself.</summary>
/// <remarks>
/// Part of the wire because what a run is given is: the API refuses a job that sets one, and a
/// client that converts another format (a crontab's <c>HOME=</c>) leaves them out, with a word.
/// </remarks>
public static class RunVariables
{
    /// <summary>Every variable whose name starts with this is the platform's too.</summary>
    public const string PlatformPrefix = "TOOLGRID_";

    /// <summary>The variables set for every run, besides those starting with <see cref="PlatformPrefix"/>.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "HOME", "USER", "LOGNAME", "PORT", "JOB_ID", "JOB_NAME",
    };

    /// <summary>Whether <paramref name="name"/> is set by the platform for every run.</summary>
    public static bool IsReserved(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Reserved.Contains(name) || name.StartsWith(PlatformPrefix, StringComparison.Ordinal);
    }
}
