using System.Text;

namespace Toolgrid.Cli.Output;

/// <summary>Writes through to another writer, dropping the spaces at the ends of lines (tables pad their last column).</summary>
internal sealed class LineTrimmingWriter : TextWriter
{
    private readonly TextWriter _inner;
    private int _pendingSpaces;

    public LineTrimmingWriter(TextWriter inner)
        : base(inner.FormatProvider)
    {
        _inner = inner;
    }

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value)
    {
        switch (value)
        {
            case ' ':
                _pendingSpaces++;
                break;
            case '\n':
                _pendingSpaces = 0;
                _inner.Write(value);
                break;
            default:
                WritePendingSpaces();
                _inner.Write(value);
                break;
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        var start = 0;
        while (start < value.Length)
        {
            var newline = value.IndexOf('\n', start);
            var end = newline < 0 ? value.Length : newline;
            var text = value.AsSpan(start, end - start);
            var trimmed = text.TrimEnd(' ');
            if (trimmed.Length > 0)
            {
                WritePendingSpaces();
                _inner.Write(trimmed);
            }

            if (newline < 0)
            {
                _pendingSpaces += text.Length - trimmed.Length;
                break;
            }

            _pendingSpaces = 0;
            _inner.Write('\n');
            start = newline + 1;
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Flush() => _inner.Flush();

    private void WritePendingSpaces()
    {
        if (_pendingSpaces > 0)
        {
            _inner.Write(new string(' ', _pendingSpaces));
            _pendingSpaces = 0;
        }
    }
}
