namespace Toolgrid.Core.Accounts;

/// <summary>What became of the <c>~/.toolgrid/token</c> an older toolgridd wrote in a tool's home.</summary>
public enum LegacyTokenFileOutcome
{
    /// <summary>There is none (or no home).</summary>
    Absent,

    /// <summary>It held a token toolgridd made, and is gone.</summary>
    Removed,

    /// <summary>Something is there that toolgridd did not write (the tool's own file, a link, a directory): left alone.</summary>
    NotOurs,
}
