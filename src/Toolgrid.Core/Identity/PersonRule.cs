using System.Globalization;

namespace Toolgrid.Core.Identity;

/// <summary>Who counts as a person, and so may maintain a tool. Pure.</summary>
/// <remarks>
/// A maintainer gets the tool's group, the rule of <c>become</c>, and the tool's jobs and files.
/// A system account (a daemon's user, <c>nobody</c>) is what a compromised service on the
/// login host runs as; a tool's own user is what every run and web service of that tool runs
/// as. Neither may hold another tool: only people, the accounts at or above the site's lowest
/// uid for people.
/// </remarks>
public static class PersonRule
{
    /// <summary>The lowest uid of people unless the site says otherwise (Debian's <c>UID_MIN</c>).</summary>
    public const int DefaultPersonUidMin = 1000;

    /// <summary>The kernel's overflow uid, <c>nobody</c>'s on Debian.</summary>
    public const int NobodyUid = 65534;

    /// <summary>The unprivileged account every system has.</summary>
    public const string NobodyName = "nobody";

    /// <summary>Why <paramref name="name"/> may not maintain a tool, or null when it may.</summary>
    /// <param name="name">The login name asked for.</param>
    /// <param name="uid">Its uid, or null when the host has no such user.</param>
    /// <param name="toolOf">The tool whose own user it is, or null for anyone else.</param>
    /// <param name="isToolAccount">Whether it is a tool's user by name or uid range, even one of no tool known.</param>
    /// <param name="personUidMin">The site's lowest uid for people.</param>
    /// <param name="setting">The setting that holds <paramref name="personUidMin"/>, for the message.</param>
    public static PersonRefusal? WhyNotAPerson(string name, int? uid, string? toolOf, bool isToolAccount, int personUidMin, string setting)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (uid is not { } id)
        {
            return new PersonRefusal($"there is no user '{name}' on this host; maintainers are people with a login here.", NoSuchUser: true);
        }

        if (toolOf is not null)
        {
            return new PersonRefusal($"'{name}' is the own user of tool '{toolOf}', not a person: a tool never maintains another. Add one of its maintainers instead.", NoSuchUser: false);
        }

        if (isToolAccount)
        {
            return new PersonRefusal($"'{name}' is a tool's user (by its name or uid {Text(id)}), not a person; maintainers are people with a login here.", NoSuchUser: false);
        }

        if (string.Equals(name, NobodyName, StringComparison.Ordinal) || id == NobodyUid)
        {
            return new PersonRefusal($"'{name}' (uid {Text(id)}) is the system's unprivileged account, which services run as, not a person; maintainers are people with a login here.", NoSuchUser: false);
        }

        if (id < personUidMin)
        {
            return new PersonRefusal($"'{name}' is a system account (uid {Text(id)}, below {Text(personUidMin)}, the lowest uid of people on this site: {setting}), not a person; maintainers are people with a login here.", NoSuchUser: false);
        }

        return null;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
