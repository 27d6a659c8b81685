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

        var request = command.Bind(parse, problems);

        Assert.Empty(problems);
        Assert.True(parse.GetValue<bool>("--wait"));
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

        var request = command.Bind(parse, new Problems());

        Assert.False(request.Filelog);
        Assert.Equal("x.out", request.FilelogStdout);
        Assert.False(parse.GetValue<bool>("--wait"));
    }

    [Fact]
    public void Bind_OnlyNameAndCommand_LeavesEverythingElseToTheServer()
    {
        var (parse, command) = TestCommandLine.Parse<JobRunCommand>("jobs", "run", "fetch", "--command", "./fetch.sh");
        var problems = new Problems();

        var request = command.Bind(parse, problems);

        Assert.Empty(problems);
        Assert.Equal(new JobRunRequest { Name = "fetch", Command = "./fetch.sh" }, request);
    }

    [Theory]
    [InlineData("--continuous")]
    [InlineData("--schedule", "@daily")]
    public void Bind_WaitForAJobThatNeverFinishes_IsAProblemWithWait(params string[] kind)
    {
        var (parse, command) = TestCommandLine.Parse<JobRunCommand>(["jobs", "run", "bot", "--command", "./bot.py", "--wait", .. kind]);
        var problems = new Problems();

        command.Bind(parse, problems);

        Assert.Equal("wait", Assert.Single(problems).Field);
    }

    [Fact]
    public void Bind_EnvironmentVariables_AreReadAndEachMistakeReported()
    {
        var (parse, command) = TestCommandLine.Parse<JobRunCommand>(
            "jobs", "run", "fetch", "--command", "true", "--env", "A=1", "--env", "B=x=y", "--env", "A=2", "--env", "novalue");
        var problems = new Problems();

        var request = command.Bind(parse, problems);

        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "x=y" }, request.Environment);
        Assert.Equal("environment", Assert.Single(problems).Field);
    }

    [Fact]
    public void Bind_GlobalOptionsAfterTheCommand_AreAccepted()
    {
        var (parse, command) = TestCommandLine.Parse<JobRunCommand>(
            "jobs", "run", "fetch", "--command", "true", "--tool", "mytool", "--json", "--api", "unix:/tmp/x.sock");

        Assert.Equal("fetch", command.Bind(parse, new Problems()).Name);
        Assert.Equal("mytool", parse.GetValue<string>("--tool"));
    }
}
