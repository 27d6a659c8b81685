using Toolgrid.Contracts.Jobs;
using Toolgrid.Core.Limits;

namespace Toolgrid.Core.Tests.Limits;

public sealed class JobLimitsTests
{
    [Fact]
    public void Defaults_FollowToolforge()
    {
        var limits = new JobLimits();

        Assert.Equal(512 * MemorySize.MiB, limits.DefaultMemoryBytes);
        Assert.Equal(500, limits.DefaultCpuMillis);
        Assert.Equal(4 * MemorySize.GiB, limits.MaxMemoryBytes);
        Assert.Equal(1000, limits.MaxCpuMillis);
        Assert.Equal(5, limits.MaxRetry);
    }

    [Fact]
    public void For_ToolWithoutRaises_IsTheSite()
    {
        var site = new JobLimits { MaxJobs = 20 };

        Assert.Equal(site, site.For(Sample.Tool()));
    }

    [Fact]
    public void For_ToolWithRaises_TakesEachRaiseAndKeepsTheRest()
    {
        var tool = Sample.Tool();
        tool.MaxMemoryBytes = 16 * MemorySize.GiB;
        tool.MaxCpuMillis = 4000;
        tool.MaxJobs = 100;
        var site = new JobLimits();

        var limits = site.For(tool);

        Assert.Equal(16 * MemorySize.GiB, limits.MaxMemoryBytes);
        Assert.Equal(4000, limits.MaxCpuMillis);
        Assert.Equal(100, limits.MaxJobs);
        Assert.Equal(site.DefaultMemoryBytes, limits.DefaultMemoryBytes);
        Assert.Equal(site.DefaultCpuMillis, limits.DefaultCpuMillis);
        Assert.Equal(site.MaxRetry, limits.MaxRetry);
        Assert.Equal(4 * MemorySize.GiB, site.MaxMemoryBytes);
    }

    [Fact]
    public void For_OneRaise_LeavesTheOtherCeilingsAtTheSite()
    {
        var tool = Sample.Tool();
        tool.MaxCpuMillis = 2000;

        var limits = new JobLimits().For(tool);

        Assert.Equal(2000, limits.MaxCpuMillis);
        Assert.Equal(4 * MemorySize.GiB, limits.MaxMemoryBytes);
        Assert.Equal(16, limits.MaxJobs);
    }
}
