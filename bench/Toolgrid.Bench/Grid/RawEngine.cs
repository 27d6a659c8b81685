using System.Collections.Concurrent;
using System.Globalization;
using Toolgrid.Bench.Floor;
using Toolgrid.Bench.Scenarios;

namespace Toolgrid.Bench.Grid;

/// <summary>
/// The engine without Toolgrid, as a site's tools use it: one new <c>qsub</c>/<c>sbatch</c>
/// process per submit, as the tool's user, of a script that prints its own clock
/// (<c>date +%s%N</c>) into the tool's home.
/// </summary>
internal sealed class RawEngine(GridEngine engine, IReadOnlyDictionary<string, string> cluster, string user, string home)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly TimeProvider _time = TimeProvider.System;

    /// <summary>The script the engine runs: <c>date +%s%N</c> into <c>~/raw.ARG</c>.</summary>
    public string Script => Path.Combine(home, "raw-stamp.sh");

    public void WriteScript()
    {
        File.WriteAllText(Script, "#!/bin/sh\ndate +%s%N > \"$HOME/raw.$1\"\n");
        File.SetUnixFileMode(Script, (UnixFileMode)0b111_101_101);
    }

    /// <summary>One isolated submit, waited for until the job has printed its clock.</summary>
    public async Task<CliSample> SubmitOneAsync(string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var spawnedAt = await SubmitAsync(name, cancellationToken);
        var exitedAt = _time.GetUtcNow();
        var begun = _time.GetTimestamp();
        DateTimeOffset? execAt;
        while ((execAt = StampOf(name)) is null)
        {
            if (_time.GetElapsedTime(begun) > timeout)
            {
                throw new TimeoutException($"{engine.Name} job {name} did not start within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(Poll, _time, cancellationToken);
        }

        return new CliSample(name, spawnedAt, exitedAt, execAt);
    }

    /// <summary>
    /// <paramref name="jobs"/> submits by <paramref name="submitters"/> concurrent submitters, then
    /// the time from the first submit to the last job's clock: the engine's throughput.
    /// </summary>
    public async Task<RawThroughput> ThroughputAsync(string prefix, int jobs, int submitters, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sent = new ConcurrentBag<DateTimeOffset>();
        var answered = new ConcurrentBag<DateTimeOffset>();
        var next = -1;
        var names = Enumerable.Range(0, jobs).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D4}")).ToList();
        await Task.WhenAll(Enumerable.Range(0, submitters).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < jobs)
                {
                    sent.Add(await SubmitAsync(names[i], cancellationToken));
                    answered.Add(_time.GetUtcNow());
                }
            },
            cancellationToken)));

        var begun = _time.GetTimestamp();
        List<DateTimeOffset> stamps;
        while ((stamps = names.Select(StampOf).OfType<DateTimeOffset>().ToList()).Count < jobs)
        {
            if (_time.GetElapsedTime(begun) > timeout)
            {
                throw new TimeoutException($"{jobs - stamps.Count} of {jobs} {engine.Name} jobs did not run within {timeout.TotalMinutes:0} min of the last submit");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken);
        }

        var first = sent.Min();
        return new RawThroughput(jobs, submitters, (answered.Max() - first).TotalSeconds, (stamps.Max() - first).TotalSeconds);
    }

    private async Task<DateTimeOffset> SubmitAsync(string name, CancellationToken cancellationToken)
    {
        var (program, arguments) = engine.RawSubmit(cluster, user, home, Script, name);
        var spawnedAt = _time.GetUtcNow();
        await ClientProcess.RunAsync(program, arguments, null, home, cancellationToken);
        return spawnedAt;
    }

    private DateTimeOffset? StampOf(string name)
    {
        var file = Path.Combine(home, "raw." + name);
        try
        {
            return File.ReadAllText(file).Trim() is { Length: > 0 } text ? UnixNanoseconds.Parse(text) : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
