using System.Text;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>Builds one record of a run file: (kind, version), the pairs, ("end", kind). See <see cref="RunFileFormat"/>.</summary>
internal sealed class RecordBuilder
{
    private readonly StringBuilder _text = new(512);
    private readonly string _kind;

    public RecordBuilder(string kind)
    {
        _kind = kind;
        Add(kind, RunFileFormat.RecordVersion);
    }

    /// <summary>Adds a pair. The caller makes sure neither holds a NUL (the spec refuses such launches; messages are cleaned).</summary>
    public RecordBuilder Add(string key, string value)
    {
        _text.Append(key).Append('\0').Append(value).Append('\0');
        return this;
    }

    /// <summary>The record, closed.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes($"{_text}{RunFileFormat.End}\0{_kind}\0");
}
