namespace Toolgrid.Core.Tools;

/// <summary>An admin's raise (or cut) of what one person may have; absent for the site's default.</summary>
public sealed class PersonLimit
{
    /// <summary>The person's login name.</summary>
    public required string UserName { get; set; }

    /// <summary>How many active tools the person may have created.</summary>
    public int MaxTools { get; set; }

    /// <summary>The admin who set it.</summary>
    public required string SetBy { get; set; }

    public DateTimeOffset SetAt { get; set; }
}
