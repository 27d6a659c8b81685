using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Toolgrid.Native.Processes;

namespace Toolgrid.Native.Tests.Processes;

public sealed class ProcessExitsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_watched_process_that_exits_is_told_once_under_its_key_and_a_forgotten_one_never()
    {
        var exited = Channel.CreateUnbounded<long>();
        using var exits = new ProcessExits(key => exited.Writer.TryWrite(key), StartTime);
        using var first = Sleep();
        using var forgotten = Sleep();
        using var last = Sleep();

        Assert.True(exits.Watch(1, first.Id, StartTime(first.Id)!.Value));
        Assert.True(exits.Watch(2, forgotten.Id, StartTime(forgotten.Id)!.Value));
        Assert.True(exits.Watch(3, last.Id, StartTime(last.Id)!.Value));
        exits.Forget(2);
        forgotten.Kill();
        first.Kill();
        using var patience = new CancellationTokenSource(Patience);
        Assert.Equal(1, await exited.Reader.ReadAsync(patience.Token));

        // The marker: the last one's exit comes after the forgotten one's, which is never told.
        last.Kill();
        Assert.Equal(3, await exited.Reader.ReadAsync(patience.Token));
        Assert.False(exited.Reader.TryRead(out _));
        Assert.Equal(0, exits.Count);
    }

    [Fact]
    public void A_process_that_is_gone_or_whose_id_names_another_process_now_is_not_watched()
    {
        using var exits = new ProcessExits(_ => Assert.Fail("no process was watched"), StartTime);
        using var sleeper = Sleep();
        var startTime = StartTime(sleeper.Id)!.Value;

        Assert.False(exits.Watch(1, sleeper.Id, startTime + 1));
        sleeper.Kill();
        sleeper.WaitForExit();
        Assert.False(exits.Watch(2, sleeper.Id, startTime));
        Assert.Equal(0, exits.Count);
    }

    private static Process Sleep() => Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;

    private static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
