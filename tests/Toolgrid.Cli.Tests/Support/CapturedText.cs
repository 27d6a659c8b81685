using System.Globalization;
using System.Text;

namespace Toolgrid.Cli.Tests.Support;

/// <summary>
/// Text written by one thread and read by another while it is written (a StringWriter is not safe
/// for that): what a command has printed so far, for a test that waits for it.
/// </summary>
internal sealed class CapturedText : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();

    public CapturedText()
        : base(CultureInfo.InvariantCulture)
    {
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            _text.Append(buffer, index, count);
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            _text.Append(buffer);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
