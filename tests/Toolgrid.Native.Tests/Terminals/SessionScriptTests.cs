using Toolgrid.Native.Terminals;
using Toolgrid.Native.Tests.Files;

namespace Toolgrid.Native.Tests.Terminals;

/// <summary>An interactive session's script file in a tool's home, written as root: the tool's alone, and never through a link the tool planted.</summary>
public sealed class SessionScriptTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly ToolHomeDirectory _dir = new();

    private string Home => _dir.Home;

    private static ToolUser Tool => ToolHomeDirectory.Tool;

    public void Dispose() => _dir.Dispose();

    [RootFact]
    public void Write_makes_a_file_only_the_tool_can_read_and_Dispose_removes_it()
    {
        var script = SessionScript.Write(Home, 42, Tool.Uid, Tool.Gid, "export TOKEN='s3cret'\n");

        Assert.Equal(Path.Combine(Home, ".toolgrid-session-42.sh"), script.Path);
        Assert.Equal("export TOKEN='s3cret'\n", File.ReadAllText(script.Path));
        var facts = new FileInfo(script.Path);
        Assert.Equal(Private, facts.UnixFileMode);
        Assert.Equal(((uint)Tool.Uid, (uint)Tool.Gid), Owner(script.Path));

        script.Dispose();
        Assert.False(File.Exists(script.Path));
        script.Dispose();
    }

    [RootFact]
    public void A_symbolic_link_planted_under_its_name_is_replaced_never_followed()
    {
        var target = ToolHomeDirectory.Write(Path.Combine(_dir.Outside, "target"), "root's file\n", ToolHomeDirectory.Other, Private);
        var planted = Path.Combine(Home, SessionScript.NameOf(42));
        File.CreateSymbolicLink(planted, target);

        using var script = SessionScript.Write(Home, 42, Tool.Uid, Tool.Gid, "exit 0\n");

        Assert.Equal("root's file\n", File.ReadAllText(target));
        Assert.Equal(((uint)ToolHomeDirectory.Other.Uid, (uint)ToolHomeDirectory.Other.Gid), Owner(target));
        Assert.Null(new FileInfo(planted).LinkTarget);
        Assert.Equal("exit 0\n", File.ReadAllText(planted));
    }

    [RootFact]
    public void A_hard_link_planted_under_its_name_is_replaced_and_its_file_left_as_it_was()
    {
        var target = ToolHomeDirectory.Write(Path.Combine(_dir.Outside, "target"), "root's file\n", ToolHomeDirectory.Other, Private);
        ToolHomeDirectory.Run("ln", "--", target, Path.Combine(Home, SessionScript.NameOf(42)));

        using var script = SessionScript.Write(Home, 42, Tool.Uid, Tool.Gid, "exit 0\n");

        Assert.Equal("root's file\n", File.ReadAllText(target));
        Assert.Equal(((uint)ToolHomeDirectory.Other.Uid, (uint)ToolHomeDirectory.Other.Gid), Owner(target));
        Assert.Equal(Private, new FileInfo(target).UnixFileMode);
        Assert.Equal("exit 0\n", File.ReadAllText(script.Path));
    }

    [RootFact]
    public void A_home_that_is_a_symbolic_link_is_refused_saying_where_and_nothing_is_written()
    {
        var linked = Path.Combine(_dir.Outside, "linked-home");
        Directory.CreateSymbolicLink(linked, _dir.Outside);

        var e = Assert.Throws<IOException>(() => SessionScript.Write(linked, 42, Tool.Uid, Tool.Gid, "exit 0\n"));

        Assert.Contains(linked, e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.Outside, SessionScript.NameOf(42))));
    }

    [RootFact]
    public void Dispose_removes_a_link_the_tool_put_in_its_place_not_what_it_points_to()
    {
        var target = ToolHomeDirectory.Write(Path.Combine(_dir.Outside, "target"), "root's file\n", ToolHomeDirectory.Other, Private);
        var script = SessionScript.Write(Home, 42, Tool.Uid, Tool.Gid, "exit 0\n");
        File.Delete(script.Path);
        File.CreateSymbolicLink(script.Path, target);

        script.Dispose();

        Assert.False(File.Exists(script.Path) || new FileInfo(script.Path).LinkTarget is not null);
        Assert.Equal("root's file\n", File.ReadAllText(target));
    }

    private static (uint Uid, uint Gid) Owner(string path)
    {
        var fd = LibC.Open(path, LibC.ReadFileNoFollow);
        Assert.True(fd >= 0, "open " + path);
        try
        {
            var facts = LibC.Stat(fd)!;
            return (facts.Uid, facts.Gid);
        }
        finally
        {
            _ = LibC.Close(fd);
        }
    }
}
