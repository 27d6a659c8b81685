using Toolgrid.Cli.JobsFile;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.JobsFile;

public sealed class JobsFileWriterTests
{
    /// <summary>A request giving every field (whether the API would take them together or not).</summary>
    private static readonly JobRunRequest Full = new()
    {
        Name = "bot",
        Command = "./bot.py --all",
        Mem = "1Gi",
        Cpu = "0.5",
        Retry = 2,
        Filelog = true,
        FilelogStdout = "logs/bot.out",
        FilelogStderr = "logs/bot.err",
        GracePeriod = 30,
        Queue = "big",
        Emails = "all",
        Continuous = true,
        Restart = "on-failure",
        Replicas = 2,
        Port = 8080,
        HealthCheckScript = "./alive.sh",
        HealthCheckHttp = "/healthz",
        Schedule = "17 3 * * *",
        Timezone = "Europe/Berlin",
        Concurrency = "allow",
        CatchUp = "skip",
        Timeout = "2h",
        WorkingDirectory = "www",
        Environment = new(StringComparer.Ordinal) { ["A"] = "1", ["B"] = "true" },
        Umask = "022",
        MergeOutput = false,
    };

    [Fact]
    public void Full_GivesEveryField()
    {
        var unset = typeof(JobRunRequest).GetProperties().Where(p => p.GetValue(Full) is null).Select(p => p.Name);

        Assert.Empty(unset);
    }

    [Fact]
    public void ToText_EveryField_IsReadBackTheSame()
    {
        var text = JobsFileWriter.ToText([Full]);
        var problems = new Problems();

        var read = Assert.Single(JobsFileReader.Read(new StringReader(text), "jobs.yaml", problems).Entries).Request;

        Assert.True(problems.IsEmpty, string.Join("\n", problems) + "\n" + text);
        Assert.Equal(Full with { Environment = null }, read with { Environment = null });
        Assert.Equal(Full.Environment, read.Environment);
    }
}
