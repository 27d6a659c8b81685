namespace Toolgrid.Core.Tests.Jobs;

public sealed class JobTests
{
    [Fact]
    public void EffectivePaths_Default_AreTheJobNameDotOutAndDotErr()
    {
        var job = Sample.Job(name: "digest");

        Assert.Equal("digest.out", job.EffectiveStdoutPath);
        Assert.Equal("digest.err", job.EffectiveStderrPath);
    }

    [Fact]
    public void EffectivePaths_Given_AreUsed()
    {
        var job = Sample.Job();
        job.StdoutPath = "logs/out";
        job.StderrPath = "logs/err";

        Assert.Equal("logs/out", job.EffectiveStdoutPath);
        Assert.Equal("logs/err", job.EffectiveStderrPath);
    }

    [Fact]
    public void EffectivePaths_FileLogOff_AreNone()
    {
        var job = Sample.Job();
        job.StdoutPath = "logs/out";
        job.FileLog = false;

        Assert.Null(job.EffectiveStdoutPath);
        Assert.Null(job.EffectiveStderrPath);
    }
}
