namespace Toolgrid.Bench.Scenarios;

/// <summary>
/// One job submitted the way a user and the grid engines' peers submit: a new <c>toolgrid jobs
/// run</c> process, whose command prints its own clock.
/// </summary>
/// <param name="Job">The job's name.</param>
/// <param name="SpawnedAt">The bench's clock just before it started the CLI process.</param>
/// <param name="CliExitedAt">The bench's clock when the CLI process had exited (the submit was answered).</param>
/// <param name="ExecAt">The command's own clock (<c>exec date +%s%N</c>), nothing subtracted.</param>
internal sealed record CliSample(string Job, DateTimeOffset SpawnedAt, DateTimeOffset CliExitedAt, DateTimeOffset? ExecAt)
{
    public double SubmitToExecMs => LatencySample.Ms(SpawnedAt, ExecAt);

    public double CliMs => LatencySample.Ms(SpawnedAt, CliExitedAt);
}
