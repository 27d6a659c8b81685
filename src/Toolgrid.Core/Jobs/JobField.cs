namespace Toolgrid.Core.Jobs;

/// <summary>One field of a job as <see cref="JobFields"/> lists it: its wire name, how it is compared, shown and taken into a <see cref="Job"/>.</summary>
public sealed class JobField
{
    private readonly Func<Job, Job, bool> _differs;
    private readonly Func<Job, string> _show;
    private readonly Action<Job, Job> _apply;

    private JobField(string code, string? label, bool needsNewRuns, Func<Job, Job, bool> differs, Func<Job, string> show, Action<Job, Job> apply)
    {
        Code = code;
        Label = label;
        NeedsNewRuns = needsNewRuns;
        _differs = differs;
        _show = show;
        _apply = apply;
    }

    /// <summary>The field's wire name and problem code (<see cref="Contracts.Api.JobFieldNames"/>).</summary>
    public string Code { get; }

    /// <summary>How a change of it is named in words (<c>jobs load --dry-run</c>, in jobs.yaml's spelling); null when a change of it is not told.</summary>
    public string? Label { get; }

    /// <summary>Whether a run started with the old value must be replaced when it changes.</summary>
    public bool NeedsNewRuns { get; }

    /// <summary>Whether <paramref name="old"/> and <paramref name="next"/> differ in this field.</summary>
    public bool Differs(Job old, Job next) => _differs(old, next);

    /// <summary>The field's value in <paramref name="job"/>, in words.</summary>
    public string Show(Job job) => _show(job);

    /// <summary>Takes <paramref name="next"/>'s value of the field into <paramref name="job"/>.</summary>
    public void Apply(Job job, Job next) => _apply(job, next);

    /// <summary>A field held in <paramref name="get"/> and set by <paramref name="set"/>; shown by <paramref name="format"/> (its text, or <c>(none)</c>).</summary>
    public static JobField Of<T>(
        string code,
        string? label,
        bool needsNewRuns,
        Func<Job, T> get,
        Action<Job, T> set,
        Func<T, string>? format = null,
        IEqualityComparer<T>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(set);
        var same = comparer ?? EqualityComparer<T>.Default;
        format ??= value => value?.ToString() ?? "(none)";
        return new JobField(
            code,
            label,
            needsNewRuns,
            (old, next) => !same.Equals(get(old), get(next)),
            job => format(get(job)),
            (job, next) => set(job, get(next)));
    }
}
