using Toolgrid.Cli.Output;

namespace Toolgrid.Cli.Tests.Output;

public sealed class LineTrimmingWriterTests
{
    [Fact]
    public void Write_DropsSpacesBeforeEachNewlineOnly()
    {
        using var inner = new StringWriter();
        using var writer = new LineTrimmingWriter(inner);

        writer.Write("a  b   \n");
        writer.Write("c ");
        writer.Write(' ');
        writer.Write('d');
        writer.Write("  ");
        writer.Write('\n');
        writer.Write("   \n  e");

        Assert.Equal("a  b\nc  d\n\n  e", inner.ToString());
    }
}
