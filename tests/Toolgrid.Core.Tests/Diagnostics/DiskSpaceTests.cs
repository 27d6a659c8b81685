using Toolgrid.Contracts.Jobs;
using Toolgrid.Core.Diagnostics;

namespace Toolgrid.Core.Tests.Diagnostics;

public sealed class DiskSpaceTests
{
    [Fact]
    public void Warning_PlentyOfRoom_IsNone() =>
        Assert.Null(DiskSpace.Warning("the store", "/srv/toolgrid/.toolgrid", 40 * MemorySize.GiB, 100 * MemorySize.GiB));

    [Fact]
    public void Warning_UnderOneMebibyte_SaysFullAndWhatThatMeans() =>
        Assert.Equal(
            "the disk of the store (/srv/toolgrid/.toolgrid) is full, 12Ki free of 8Mi: new work is refused (503) and runs wait to start until space is freed",
            DiskSpace.Warning("the store", "/srv/toolgrid/.toolgrid", 12 * MemorySize.KiB, 8 * MemorySize.MiB));

    [Fact]
    public void Warning_UnderFivePercent_SaysNearlyFull() =>
        Assert.Equal(
            "the disk of the store (/srv/toolgrid/.toolgrid) is nearly full, 4Gi free of 100Gi: once it is full, new work is refused (503) and runs wait to start",
            DiskSpace.Warning("the store", "/srv/toolgrid/.toolgrid", 4 * MemorySize.GiB, 100 * MemorySize.GiB));

    [Theory]
    [InlineData(DiskFull.NoSpace, true)]
    [InlineData(DiskFull.QuotaExceeded, true)]
    [InlineData(13, false)]
    public void DiskFull_TellsLackOfSpaceFromOtherIoErrors_EvenWrapped(int errno, bool full)
    {
        var error = new IOException("cannot create /srv/toolgrid/.toolgrid/runs/.new-7", errno);

        Assert.Equal(full, DiskFull.Is(error));
        Assert.Equal(full, DiskFull.Is(new InvalidOperationException("starting run 7 failed", error)));
        Assert.False(DiskFull.Is(new InvalidOperationException("no I/O here")));
    }
}
