using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

public sealed class SgeAccountingRecordTests
{
    [Fact]
    public void Parse_reads_a_job_ended_by_qdel_and_skips_the_header()
    {
        var records = TestData.Read("accounting").Split('\n').Select(SgeAccountingRecord.Parse).OfType<SgeAccountingRecord>().ToList();

        Assert.Equal([1L, 4, 5, 6], records.Select(r => r.JobNumber));
        var first = records[0];
        Assert.Equal(("default", "node1-gs27702", "tggrid62900", "tg-101"), (first.Queue, first.Host, first.Owner, first.JobName));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796431295), first.StartedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796431312), first.EndedAt);
        Assert.Equal((SgeAccountingRecord.FailedBySignal, 137), (first.Failed, first.ExitStatus));
        Assert.Equal(3092480, first.MaxVmemBytes);
        Assert.Equal((0, 0), (records[3].Failed, records[3].ExitStatus));
    }

    [Fact]
    public void Parse_gives_no_end_time_when_the_engine_has_none()
    {
        var line = "default:n1:g:u:tg-7:7:sge:0:1796431294:1796431295:0:19:0" + string.Concat(Enumerable.Repeat(":0", 32));

        var record = SgeAccountingRecord.Parse(line)!;

        Assert.Null(record.EndedAt);
        Assert.Equal(19, record.Failed);
    }

    [Fact]
    public void Parse_refuses_a_line_cut_short_saying_so()
    {
        var e = Assert.Throws<SgeOutputException>(() => SgeAccountingRecord.Parse("default:n1:g:u:tg-7:7"));

        Assert.Contains("has 6 fields, not 45", e.Message, StringComparison.Ordinal);
    }
}
