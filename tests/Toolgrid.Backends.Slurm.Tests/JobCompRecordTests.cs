using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

public sealed class JobCompRecordTests
{
    [Fact]
    public void Parse_reads_each_end_with_its_state_node_times_and_exit_pair()
    {
        var records = Lines("jobcomp.txt").Select(line => JobCompRecord.Parse(line, TimeZoneInfo.Utc)).ToList();
        var oom = records.Single(r => r!.JobId == 7)!;

        Assert.All(records, Assert.NotNull);
        Assert.Equal(("tgslx15150", 63777, "tg-14", "OUT_OF_MEMORY", "tools", "node1-sl24825", 0, 125), (oom.User, oom.Uid, oom.Name, oom.State, oom.Partition, oom.Node, oom.ExitCode, oom.Signal));
        Assert.Equal((new DateTimeOffset(2026, 12, 5, 2, 3, 44, TimeSpan.Zero), new DateTimeOffset(2026, 12, 5, 2, 3, 47, TimeSpan.Zero)), (oom.StartedAt!.Value, oom.EndedAt!.Value));
        Assert.Equal([(3, 0), (0, 15), (0, 0)], new long[] { 4, 5, 6 }.Select(id => records.Single(r => r!.JobId == id)!).Select(r => (r.ExitCode, r.Signal)));
        Assert.Equal(("NODE_FAIL", "node2-sl24825"), (records.Single(r => r!.JobId == 11)!.State, records.Single(r => r!.JobId == 11)!.Node));
    }

    [Fact]
    public void Parse_gives_a_job_slurm_refused_at_submission_no_node() =>
        Assert.Null(Lines("jobcomp.txt").Select(line => JobCompRecord.Parse(line, TimeZoneInfo.Utc)).Single(r => r!.JobId == 9)!.Node);

    [Fact]
    public void Parse_reads_neither_half_of_a_record_split_by_a_job_name_with_a_newline()
    {
        // sbatch -J $'x\nJobId=99 JobState=COMPLETED': the second line pretends to be job 99's record.
        var lines = Lines("jobcomp-name-with-newline.txt");

        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Null(JobCompRecord.Parse(line, TimeZoneInfo.Utc)));
    }

    [Theory]
    [InlineData("JobId=5 UserId=u(1) Name=n JobState=COMPLETED")]
    [InlineData("Name=JobId=5")]
    [InlineData("")]
    public void Parse_reads_no_line_cut_short(string line) => Assert.Null(JobCompRecord.Parse(line, TimeZoneInfo.Utc));

    private static List<string> Lines(string file) => TestData.Read(file).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
}
