using System.Text;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>The run file's format (protocol 2): NUL-terminated key/value pairs, grouped in records.</summary>
/// <remarks>
/// <code>
/// tg-shepherd-run\0 2\0                              header: magic, protocol version
/// spec\0 1\0 run_id\0 42\0 command\0 …\0 end\0 spec\0     a record: (kind, version) … ("end", kind)
/// waiting\0 1\0 pid\0 4711\0 …\0 end\0 waiting\0       only for a run held until its due time
/// started\0 1\0 pid\0 4711\0 …\0 end\0 started\0
/// exit\0 1\0 exit_code\0 0\0 …\0 end\0 exit\0
/// </code>
/// NUL cannot occur in a command, a path, a user name, an environment variable or a message, so
/// nothing is escaped and nothing can be misread. A record counts only with its closing pair: a
/// record being appended, or one cut short by a crash, is "not written (yet)". Records are only
/// ever appended after complete ones (a writer that finds a torn end cuts it off first, under the
/// run's lock), so the complete records are always a prefix of the file.
/// </remarks>
internal static class RunFileFormat
{
    public const string Magic = "tg-shepherd-run";
    public const string Version = "2";
    public const string RecordVersion = "1";
    public const string End = "end";

    public static byte[] Header { get; } = Encoding.UTF8.GetBytes($"{Magic}\0{Version}\0");

    /// <summary>What the file holds; null when it is not a run file of this version.</summary>
    public static RunFileContents? Parse(ReadOnlySpan<byte> data)
    {
        var position = 0;
        if (Token(data, ref position) != Magic || Token(data, ref position) != Version)
        {
            return null;
        }

        var complete = position;
        var hasSpec = false;
        ILookup<string, string>? spec = null;
        StartedRecord? started = null;
        ExitRecord? exit = null;
        WaitingRecord? waiting = null;
        while (Token(data, ref position) is { } kind && Token(data, ref position) is not null)
        {
            var values = new List<KeyValuePair<string, string>>();
            var closed = false;
            while (!closed && Token(data, ref position) is { } key && Token(data, ref position) is { } value)
            {
                closed = key == End && value == kind;
                if (!closed)
                {
                    values.Add(new(key, value));
                }
            }

            if (!closed)
            {
                break;
            }

            complete = position;
            var lookup = values.ToLookup(p => p.Key, p => p.Value, StringComparer.Ordinal);
            switch (kind)
            {
                case "spec":
                    hasSpec = true;
                    spec ??= lookup;
                    break;
                case "started":
                    started ??= StartedRecord.FromValues(lookup);
                    break;
                case "exit":
                    exit ??= ExitRecord.FromValues(lookup);
                    break;
                case "waiting":
                    // The latest: a shepherd that died while it held the run left one, and the next appends its own.
                    waiting = WaitingRecord.FromValues(lookup) ?? waiting;
                    break;
            }
        }

        return new RunFileContents(hasSpec, started, exit, complete, data.Length, spec, waiting);
    }

    /// <summary>The NUL-terminated token at <paramref name="position"/>, or null when the data ends before its NUL.</summary>
    private static string? Token(ReadOnlySpan<byte> data, ref int position)
    {
        if (position >= data.Length)
        {
            return null;
        }

        var length = data[position..].IndexOf((byte)0);
        if (length < 0)
        {
            return null;
        }

        var token = Encoding.UTF8.GetString(data.Slice(position, length));
        position += length + 1;
        return token;
    }
}
