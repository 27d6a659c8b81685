using Toolgrid.Native.Files;

namespace Toolgrid.Native.Tests.Files;

public sealed class ToolFileTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Shared = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly ToolHomeDirectory _dir = new();

    private string Home => _dir.Home;

    [RootFact]
    public void FileOfTheTool_OpensAndReads()
    {
        ToolHomeDirectory.Write(Path.Combine(Home, "job.out"), "hello\n", ToolHomeDirectory.Tool, Private);

        var opened = ToolFile.Open(Home, "job.out", ToolHomeDirectory.Tool);

        Assert.Equal(ToolFileOutcome.Opened, opened.Outcome);
        using var stream = new FileStream(opened.OpenedHandle, FileAccess.Read, bufferSize: 0);
        using var reader = new StreamReader(stream);
        Assert.Equal("hello\n", reader.ReadToEnd());
    }

    [RootFact]
    public void MissingFile_IsMissing_NotRefused()
    {
        Assert.Equal(ToolFileOutcome.Missing, ToolFile.Open(Home, "logs/none.out", ToolHomeDirectory.Tool).Outcome);
    }

    [RootFact]
    public void SymbolicLinkToEtcShadow_IsRefusedAsOutsideTheHome()
    {
        File.CreateSymbolicLink(Path.Combine(Home, "job.out"), "/etc/shadow");

        var opened = ToolFile.Open(Home, "job.out", ToolHomeDirectory.Tool);

        Assert.Equal(ToolFileOutcome.OutsideHome, opened.Outcome);
        Assert.Null(opened.Handle);
        Assert.Equal("leads outside the tool's home (to /etc/shadow)", opened.Reason);
    }

    [RootFact]
    public void PathThroughASymbolicallyLinkedDirectory_IsRefusedAsOutsideTheHome()
    {
        Directory.CreateSymbolicLink(Path.Combine(Home, "logs"), "/etc");

        var opened = ToolFile.Open(Home, "logs/passwd", ToolHomeDirectory.Tool);

        Assert.Equal(ToolFileOutcome.OutsideHome, opened.Outcome);
        Assert.Null(opened.Handle);
    }

    [RootFact]
    public void HardLinkToAFileOfAnotherUser_IsRefusedAsNotReadableByTheTool()
    {
        var secret = ToolHomeDirectory.Write(Path.Combine(_dir.Outside, "secret"), "another user's secret\n", ToolHomeDirectory.Other, Private);
        ToolHomeDirectory.Run("ln", "--", secret, Path.Combine(Home, "job.out"));

        var opened = ToolFile.Open(Home, "job.out", ToolHomeDirectory.Tool);

        Assert.Equal(ToolFileOutcome.NotReadable, opened.Outcome);
        Assert.Null(opened.Handle);
        Assert.Equal("is not readable by the tool's user", opened.Reason);
    }

    [RootFact]
    public void FileOfAnotherUserThatTheToolMayRead_Opens()
    {
        ToolHomeDirectory.Write(Path.Combine(Home, "readme"), "shared\n", ToolHomeDirectory.Other, Shared);

        var opened = ToolFile.Open(Home, "readme", ToolHomeDirectory.Tool);

        Assert.Equal(ToolFileOutcome.Opened, opened.Outcome);
        opened.OpenedHandle.Dispose();
    }

    [RootFact]
    public void WithoutAUser_TheOwnerOfTheHomeIsTheReader()
    {
        ToolHomeDirectory.Write(Path.Combine(Home, "root-only"), "root's\n", new ToolUser(0, 0), Private);
        ToolHomeDirectory.Write(Path.Combine(Home, "tool's"), "tool's\n", ToolHomeDirectory.Tool, Private);

        Assert.Equal(ToolFileOutcome.NotReadable, ToolFile.Open(Home, "root-only").Outcome);
        var own = ToolFile.Open(Home, "tool's");
        Assert.Equal(ToolFileOutcome.Opened, own.Outcome);
        own.OpenedHandle.Dispose();
    }

    [RootFact]
    public void Fifo_IsRefusedWithoutHanging()
    {
        var fifo = Path.Combine(Home, "job.out");
        ToolHomeDirectory.Run("mkfifo", "--", fifo);
        ToolHomeDirectory.Give(fifo, ToolHomeDirectory.Tool, Private);

        var opened = ToolFile.Open(Home, "job.out", ToolHomeDirectory.Tool);

        Assert.Equal(ToolFileOutcome.NotRegularFile, opened.Outcome);
        Assert.Equal("is not a regular file", opened.Reason);
    }

    [RootFact]
    public void Directory_IsRefused_UnlessAskedFor()
    {
        Directory.CreateDirectory(Path.Combine(Home, "logs"));
        ToolHomeDirectory.Give(Path.Combine(Home, "logs"), ToolHomeDirectory.Tool, Private | UnixFileMode.UserExecute);

        Assert.Equal(ToolFileOutcome.NotRegularFile, ToolFile.Open(Home, "logs", ToolHomeDirectory.Tool).Outcome);
        var listed = ToolFile.Open(Home, "logs", ToolHomeDirectory.Tool, allowDirectory: true);
        Assert.Equal(ToolFileOutcome.Opened, listed.Outcome);
        Assert.True(listed.Facts!.IsDirectory);
        listed.OpenedHandle.Dispose();
    }

    [RootFact]
    public void SymbolicLinkThatStaysInTheHome_IsFollowed()
    {
        Directory.CreateDirectory(Path.Combine(Home, "site"));
        ToolHomeDirectory.Write(Path.Combine(Home, "site", "index.html"), "<p>hi</p>", ToolHomeDirectory.Tool, Private);
        Directory.CreateSymbolicLink(Path.Combine(Home, "public_html"), "site");

        var opened = ToolFile.Open(Home, "public_html/index.html", ToolHomeDirectory.Tool);

        Assert.Equal(ToolFileOutcome.Opened, opened.Outcome);
        Assert.EndsWith("/home/site/index.html", opened.RealPath, StringComparison.Ordinal);
        opened.OpenedHandle.Dispose();
    }

    public void Dispose() => _dir.Dispose();
}
