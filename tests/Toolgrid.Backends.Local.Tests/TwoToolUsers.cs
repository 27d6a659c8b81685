namespace Toolgrid.Backends.Local.Tests;

/// <summary>Two throwaway tool users, as two tools on one host: one to run as, one to look at.</summary>
public sealed class TwoToolUsers : IAsyncLifetime
{
    public ToolUserFixture Tool { get; } = new();

    public ToolUserFixture Other { get; } = new();

    public async Task InitializeAsync()
    {
        await Tool.InitializeAsync();
        await Other.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Tool.DisposeAsync();
        await Other.DisposeAsync();
    }
}
