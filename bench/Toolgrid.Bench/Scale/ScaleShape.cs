namespace Toolgrid.Bench.Scale;

/// <summary>The seeded site: how many tools, jobs of each kind and web services, and the runs of each job's history.</summary>
internal sealed record ScaleShape
{
    public int Tools { get; init; } = 3000;

    /// <summary>Jobs besides web services: <see cref="Scheduled"/>, then <see cref="Continuous"/>, the rest one-off.</summary>
    public int Jobs { get; init; } = 10_000;

    public int Scheduled { get; init; } = 5000;

    public int Continuous { get; init; } = 2000;

    public int Webservices { get; init; } = 1000;

    public int RunsPerScheduled { get; init; } = 150;

    public int RunsPerOneOff { get; init; } = 50;

    /// <summary>Ended runs plus the one queued.</summary>
    public int RunsPerContinuous { get; init; } = 40;

    public int RunsPerWebservice { get; init; } = 20;

    public int OneOff => Jobs - Scheduled - Continuous;

    public long Runs => ((long)Scheduled * RunsPerScheduled) + ((long)OneOff * RunsPerOneOff) + ((long)Continuous * RunsPerContinuous) + ((long)Webservices * RunsPerWebservice);

    /// <summary>The documented shape, its history scaled to about <paramref name="runs"/> runs (the default: 1,000,000).</summary>
    public static ScaleShape WithRuns(long runs)
    {
        var shape = new ScaleShape();
        var factor = runs / (double)shape.Runs;
        int Scaled(int n, int least) => Math.Max(least, (int)Math.Round(n * factor));
        return shape with
        {
            RunsPerScheduled = Scaled(shape.RunsPerScheduled, 1),
            RunsPerOneOff = Scaled(shape.RunsPerOneOff, 1),
            RunsPerContinuous = Scaled(shape.RunsPerContinuous, 2),
            RunsPerWebservice = Scaled(shape.RunsPerWebservice, 2),
        };
    }
}
