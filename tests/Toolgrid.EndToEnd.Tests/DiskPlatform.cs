namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// A <see cref="Platform"/> whose run files are on a small disk of their own (a 4 MiB tmpfs), which
/// a test fills and frees while toolgridd runs.
/// </summary>
public sealed class DiskPlatform : IAsyncLifetime
{
    private const int Block = 64 * 1024;

    public Platform Platform { get; } = new();

    /// <summary>Where toolgridd keeps its run files: the small disk.</summary>
    public string RunDirectory => Path.Combine(Platform.Root, "runs");

    private string Filler => Path.Combine(RunDirectory, ".filler");

    public async Task InitializeAsync()
    {
        if (!Platform.IsRoot)
        {
            return;
        }

        Platform.ExtraArguments.Add($"--Toolgrid:Local:RunDirectory={RunDirectory}");
        Platform.Preparing = async () =>
        {
            Directory.CreateDirectory(RunDirectory);
            await Command.MustAsync("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", RunDirectory);
        };
        Platform.Stopped = async () =>
        {
            if (File.ReadAllText("/proc/mounts").Contains(" " + RunDirectory + " ", StringComparison.Ordinal))
            {
                await Command.MustAsync("umount", RunDirectory);
            }
        };
        await Platform.InitializeAsync();
    }

    public Task DisposeAsync() => Platform.IsRoot ? Platform.DisposeAsync() : Task.CompletedTask;

    /// <summary>Fills the run files' disk.</summary>
    public void Fill()
    {
        try
        {
            using var file = new FileStream(Filler, FileMode.Create, FileAccess.Write);
            var block = new byte[Block];
            while (true)
            {
                file.Write(block);
                file.Flush();
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }

    public void Free() => File.Delete(Filler);
}
