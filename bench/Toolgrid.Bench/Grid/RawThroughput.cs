namespace Toolgrid.Bench.Grid;

/// <summary>The engine's own throughput: jobs submitted by concurrent <c>qsub</c>/<c>sbatch</c> processes, first submit to the last job's clock.</summary>
internal sealed record RawThroughput(int Jobs, int Submitters, double SubmitSeconds, double FinishSeconds)
{
    public double FinishPerSecond => Jobs / FinishSeconds;

    public double SubmitPerSecond => Jobs / SubmitSeconds;
}
