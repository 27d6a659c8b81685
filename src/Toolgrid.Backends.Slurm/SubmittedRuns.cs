using System.Globalization;

namespace Toolgrid.Backends.Slurm;

/// <summary>
/// What the backend keeps of each run it submitted, in a root-only directory on the login host
/// that survives a restart: <c>&lt;runId&gt;</c> holds the job id (written whole, by a rename),
/// <c>&lt;runId&gt;.submitting</c> the run's user while sbatch runs, <c>&lt;runId&gt;.stop</c> when the
/// grace period of a stop ends; for an interactive run, <c>&lt;runId&gt;.interactive</c> (its srun is a
/// child of the toolgridd that wrote it) and <c>&lt;runId&gt;.srun</c>, what srun said.
/// </summary>
internal sealed class SubmittedRuns
{
    private readonly string _directory;

    public SubmittedRuns(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Every run with a job id: run id → job id.</summary>
    public Dictionary<long, long> All()
    {
        var runs = new Dictionary<long, long>();
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            if (long.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var runId) && JobOf(runId) is { } jobId)
            {
                runs[runId] = jobId;
            }
        }

        return runs;
    }

    /// <summary>The job id of a run; null when it was not (or not yet) submitted.</summary>
    public long? JobOf(long runId) =>
        Read(runId, string.Empty) is { } text && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var jobId) ? jobId : null;

    /// <summary>Whether a submission of the run was begun and not seen through (toolgridd died during it).</summary>
    public bool WasSubmitting(long runId) => File.Exists(PathOf(runId, ".submitting"));

    /// <summary>The runs whose submission is under way (or was cut short).</summary>
    public IEnumerable<long> Submitting() =>
        Directory.EnumerateFiles(_directory, "*.submitting")
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Select(name => long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var runId) ? runId : (long?)null)
            .OfType<long>();

    /// <summary>Marks a submission as under way, before sbatch runs.</summary>
    public Task BeginSubmittingAsync(long runId, string unixUser, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(PathOf(runId, ".submitting"), unixUser, cancellationToken);

    /// <summary>Records the run's job id, then drops the mark of the submission.</summary>
    public void Record(long runId, long jobId)
    {
        var temporary = PathOf(runId, ".tmp");
        File.WriteAllText(temporary, jobId.ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, PathOf(runId, string.Empty), overwrite: true);
        File.Delete(PathOf(runId, ".submitting"));
    }

    /// <summary>Marks the run as interactive, before its srun starts.</summary>
    public void MarkInteractive(long runId) => File.WriteAllText(PathOf(runId, ".interactive"), string.Empty);

    /// <summary>Every interactive run, with a job id or not.</summary>
    public IEnumerable<long> Interactive() =>
        Directory.EnumerateFiles(_directory, "*.interactive")
            .Select(path => long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var runId) ? runId : 0)
            .Where(runId => runId > 0);

    /// <summary>Whether the run is interactive.</summary>
    public bool IsInteractive(long runId) => File.Exists(PathOf(runId, ".interactive"));

    /// <summary>The file srun's own messages (its standard error) go to.</summary>
    public string MessagesPath(long runId) => PathOf(runId, ".srun");

    /// <summary>Records that a stop was asked, and when its grace period ends.</summary>
    public Task StopAskedAsync(long runId, DateTimeOffset killAt, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(PathOf(runId, ".stop"), killAt.ToString("O", CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>When the grace period of the run's stop ends; null when no stop was asked.</summary>
    public DateTimeOffset? KillAt(long runId) =>
        Read(runId, ".stop") is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at
        : DateTimeOffset.MinValue;

    /// <summary>Drops all of a run.</summary>
    public void Forget(long runId)
    {
        File.Delete(PathOf(runId, string.Empty));
        File.Delete(PathOf(runId, ".stop"));
        File.Delete(PathOf(runId, ".submitting"));
        File.Delete(PathOf(runId, ".interactive"));
        File.Delete(PathOf(runId, ".srun"));
    }

    private string? Read(long runId, string suffix)
    {
        try
        {
            return File.ReadAllText(PathOf(runId, suffix));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private string PathOf(long runId, string suffix) =>
        Path.Combine(_directory, runId.ToString(CultureInfo.InvariantCulture) + suffix);
}
