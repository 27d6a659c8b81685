using System.Text;
using Toolgrid.Native.Files;

namespace Toolgrid.Native.Tests.Files;

/// <summary>A small file a tool writes in its home for toolgridd (a grid run's health check result): read and removed as hostile input.</summary>
public sealed class OwnedFileTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly ToolHomeDirectory _dir = new();

    private string Home => _dir.Home;

    private static int Tool => ToolHomeDirectory.Tool.Uid;

    [RootFact]
    public void A_regular_file_of_the_tool_is_read_and_removed()
    {
        ToolHomeDirectory.Write(Path.Combine(Home, "result"), "0 17\n", ToolHomeDirectory.Tool, Private);

        var content = OwnedFile.Read(Home, "result", Tool, 64);
        var removed = OwnedFile.Remove(Home, "result", Tool);

        Assert.Equal("0 17\n", Encoding.ASCII.GetString(content!));
        Assert.True(removed);
        Assert.False(File.Exists(Path.Combine(Home, "result")));
    }

    [RootFact]
    public void A_missing_file_is_nothing_and_so_is_a_missing_home()
    {
        Assert.Null(OwnedFile.Read(Home, "result", Tool, 64));
        Assert.Null(OwnedFile.Read(Path.Combine(Home, "none"), "result", Tool, 64));
        Assert.False(OwnedFile.Remove(Home, "result", Tool));
    }

    [RootFact]
    public void A_symbolic_link_is_not_followed_and_not_removed_even_to_a_file_of_the_tool()
    {
        var target = ToolHomeDirectory.Write(Path.Combine(Home, "real"), "0 17\n", ToolHomeDirectory.Tool, Private);
        File.CreateSymbolicLink(Path.Combine(Home, "result"), target);
        File.CreateSymbolicLink(Path.Combine(Home, "shadow"), "/etc/shadow");

        Assert.Null(OwnedFile.Read(Home, "result", Tool, 64));
        Assert.Null(OwnedFile.Read(Home, "shadow", Tool, 64));
        Assert.False(OwnedFile.Remove(Home, "result", Tool));
        Assert.True(File.Exists(target));
        Assert.NotNull(new FileInfo(Path.Combine(Home, "result")).LinkTarget);
    }

    [RootFact]
    public async Task A_fifo_does_not_block_the_reader_and_is_nothing()
    {
        var fifo = Path.Combine(Home, "result");
        ToolHomeDirectory.Run("mkfifo", "--", fifo);
        ToolHomeDirectory.Give(fifo, ToolHomeDirectory.Tool, Private);

        // A blocked open would never end: the patience only catches that hang.
        var read = await Task.Run(() => OwnedFile.Read(Home, "result", Tool, 64)).WaitAsync(TimeSpan.FromSeconds(30));
        var removed = await Task.Run(() => OwnedFile.Remove(Home, "result", Tool)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(read);
        Assert.False(removed);
        Assert.True(File.Exists(fifo));
    }

    [RootFact]
    public void A_file_of_another_user_is_ignored_and_left()
    {
        ToolHomeDirectory.Write(Path.Combine(Home, "result"), "0 17\n", ToolHomeDirectory.Other, Private);

        Assert.Null(OwnedFile.Read(Home, "result", Tool, 64));
        Assert.False(OwnedFile.Remove(Home, "result", Tool));
        Assert.True(File.Exists(Path.Combine(Home, "result")));
    }

    [RootFact]
    public void A_directory_or_a_file_longer_than_asked_for_is_nothing()
    {
        Directory.CreateDirectory(Path.Combine(Home, "dir"));
        ToolHomeDirectory.Give(Path.Combine(Home, "dir"), ToolHomeDirectory.Tool, Private | UnixFileMode.UserExecute);
        ToolHomeDirectory.Write(Path.Combine(Home, "long"), new string('0', 65), ToolHomeDirectory.Tool, Private);

        Assert.Null(OwnedFile.Read(Home, "dir", Tool, 64));
        Assert.Null(OwnedFile.Read(Home, "long", Tool, 64));
    }

    [RootFact]
    public void A_home_that_is_a_symbolic_link_is_not_followed()
    {
        ToolHomeDirectory.Write(Path.Combine(Home, "result"), "0 17\n", ToolHomeDirectory.Tool, Private);
        var linked = Path.Combine(_dir.Outside, "home-link");
        Directory.CreateSymbolicLink(linked, Home);

        Assert.Null(OwnedFile.Read(linked, "result", Tool, 64));
    }

    [Fact]
    public void A_name_with_a_slash_is_refused()
    {
        Assert.Throws<ArgumentException>(() => OwnedFile.Read(Home, "../etc/shadow", Tool, 64));
    }

    public void Dispose() => _dir.Dispose();
}
