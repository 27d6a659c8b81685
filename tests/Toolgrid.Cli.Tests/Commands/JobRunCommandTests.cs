using Toolgrid.Cli.Commands.Jobs;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.Commands;

public sealed class JobRunCommandTests
{
    [Fact]
    public void Bind_EveryFlag_ReachesTheRequest()
    {
        var (parse, command) = TestCommandLine.Parse<JobRunCommand>(
            "jobs", "run", "fetch", "--command", "./fetch.sh --all", "--mem", "1Gi", "--cpu", "0.25", "--retry", "2",
            "--wait", "-o", "out/f.out", "-e", "out/f.err", "--emails", "all", "--grace-period", "30", "--queue", "big");
        var problems = new Problems();

        var input = command.Bind(parse);
        var request = input.ToRequest(problems);

        Assert.Empty(problems);
        Assert.True(input.Wait);
        Assert.Equal(
            new JobRunRequest
            {
                Name = "fetch",
                Command = "./fetch.sh --all",
                Mem = "1Gi",
                Cpu = "0.25",
                Retry = 2,
                FilelogStdout = "out/f.out",
                FilelogStderr = "out/f.err",
                Emails = "all",
                GracePeriod = 30,
                Queue = "big",
            },
            request);
    }

    [Fact]
    public void Bind_LongOutputFlagsAndNoFilelog_AreRead()
    {
        var (parse, command) = TestCommandLine.Parse<JobRunCommand>(
            "jobs", "run", "bot", "--command", "./bot.py", "--no-filelog", "--filelog-stdout", "x.out");

        var input = command.Bind(parse);

        Assert.True(input.NoFilelog);
        Assert.Equal("x.out", input.Stdout);
        Assert.False(input.Wait);
    }

    [Fact]
    public void Bind_GlobalOptionsAfterTheCommand_AreAccepted()
    {
        var (parse, command) = TestCommandLine.Parse<JobRunCommand>(
            "jobs", "run", "fetch", "--command", "true", "--tool", "mytool", "--json", "--api", "unix:/tmp/x.sock");

        Assert.Equal("fetch", command.Bind(parse).Name);
        Assert.Equal("mytool", parse.GetValue<string>("--tool"));
    }
}
