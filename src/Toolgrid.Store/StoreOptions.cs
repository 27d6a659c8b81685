namespace Toolgrid.Store;

/// <summary>Where the store lives and how hard it holds on to a write (section <c>Toolgrid:Store</c>).</summary>
public sealed class StoreOptions
{
    public const string Section = "Toolgrid:Store";

    /// <summary>The SQLite database file. The server defaults it to <c>&lt;state-directory&gt;/toolgrid.db</c>.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// SQLite's <c>synchronous</c> setting. <c>full</c> (the default) makes every answered write
    /// survive a power cut; <c>normal</c> is faster and still survives a crash of toolgridd.
    /// </summary>
    public string Synchronous { get; set; } = "full";

    /// <summary>How long a write waits for another writer before failing.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
