using System.Text;
using Toolgrid.Backends.Slurm.Engine;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>Output of the Slurm clients, captured (TestData/) or written in a test, fed to the readers as the stream a client's standard output is.</summary>
internal static class CapturedOutput
{
    public static IReadOnlyList<SlurmJob> Jobs(string file) => Read(TestData.Read(file), SqueueJson.ParseAsync);

    public static IReadOnlyList<SlurmNode> Nodes(string file) => Read(TestData.Read(file), SinfoJson.ParseAsync);

    public static Stream Stream(string json) => new MemoryStream(Encoding.UTF8.GetBytes(json));

    // A MemoryStream completes every read at once: nothing is waited for here.
    private static T Read<T>(string json, Func<Stream, CancellationToken, Task<T>> parse)
    {
        using var stream = Stream(json);
        return parse(stream, CancellationToken.None).GetAwaiter().GetResult();
    }
}
