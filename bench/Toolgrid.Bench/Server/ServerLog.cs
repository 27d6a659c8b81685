using System.Globalization;
using System.Text.RegularExpressions;

namespace Toolgrid.Bench.Server;

/// <summary>What toolgridd logged, kept in memory and copied to a file, with the few events the benchmark reads back.</summary>
internal sealed partial class ServerLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly StreamWriter _file;

    public ServerLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _file = new StreamWriter(path, append: true) { AutoFlush = false };
    }

    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
            _file.WriteLine(line);
        }
    }

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public IReadOnlyList<LogLine> Parsed()
    {
        lock (_gate)
        {
            return _lines.Select(LogLine.TryParse).OfType<LogLine>().ToList();
        }
    }

    /// <summary>
    /// The local backend's "Run N started in X ms" (event 3100, Debug): when StartAsync's launch of
    /// the shepherd ended, and how long it took (posix_spawn of the launcher to its exit, which
    /// comes once the command runs).
    /// </summary>
    public Dictionary<long, LaunchRecord> Launches()
    {
        var launches = new Dictionary<long, LaunchRecord>();
        foreach (var line in Parsed().Where(l => l.EventId == 3100))
        {
            var match = StartedPattern().Match(line.Message);
            if (match.Success)
            {
                var runId = long.Parse(match.Groups["run"].Value, CultureInfo.InvariantCulture);
                var ms = double.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture);
                launches[runId] = new LaunchRecord(runId, line.At - TimeSpan.FromMilliseconds(ms), line.At);
            }
        }

        return launches;
    }

    public void Flush()
    {
        lock (_gate)
        {
            _file.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
        }
    }

    [GeneratedRegex(@"\bRun (?<run>\d+) started in (?<ms>[\d.]+) ms")]
    private static partial Regex StartedPattern();
}
