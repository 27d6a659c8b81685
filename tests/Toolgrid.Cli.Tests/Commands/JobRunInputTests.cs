using Toolgrid.Cli.Commands.Jobs;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.Commands;

public sealed class JobRunInputTests
{
    private static readonly JobRunInput Valid = new() { Name = "fetch", Command = "./fetch.sh" };

    [Fact]
    public void ToRequest_WithEverything_MapsEachFlagToItsField()
    {
        var problems = new Problems();

        var request = new JobRunInput
        {
            Name = "fetch",
            Command = "./fetch.sh --all",
            Mem = " 1Gi ",
            Cpu = "250m",
            Retry = 3,
            Stdout = "logs/fetch.out",
            Stderr = "logs/fetch.err",
            Emails = "on-failure",
            GracePeriod = 60,
            Queue = "big",
        }.ToRequest(problems);

        Assert.Empty(problems);
        Assert.Equal("fetch", request.Name);
        Assert.Equal("./fetch.sh --all", request.Command);
        Assert.Equal("1Gi", request.Mem);
        Assert.Equal("250m", request.Cpu);
        Assert.Equal(3, request.Retry);
        Assert.Null(request.Filelog);
        Assert.Equal("logs/fetch.out", request.FilelogStdout);
        Assert.Equal("logs/fetch.err", request.FilelogStderr);
        Assert.Equal("onfailure", request.Emails);
        Assert.Equal(60, request.GracePeriod);
        Assert.Equal("big", request.Queue);
    }

    [Fact]
    public void ToRequest_WithOnlyNameAndCommand_LeavesEverythingElseToTheServer()
    {
        var problems = new Problems();

        var request = Valid.ToRequest(problems);

        Assert.Empty(problems);
        Assert.Equal(new Contracts.Api.JobRunRequest { Name = "fetch", Command = "./fetch.sh" }, request);
    }

    [Fact]
    public void ToRequest_NoFilelog_TurnsFileLoggingOff()
    {
        var problems = new Problems();

        var request = (Valid with { NoFilelog = true }).ToRequest(problems);

        Assert.Empty(problems);
        Assert.False(request.Filelog);
    }

    [Theory]
    [InlineData("Fetch")]
    [InlineData("fetch_all")]
    [InlineData("-fetch")]
    [InlineData("fetch-")]
    [InlineData("")]
    [InlineData("a-job-name-that-is-far-too-long-for-a-job-name-of-toolgrid")]
    public void ToRequest_BadName_IsAProblemWithTheName(string name) =>
        AssertOneProblem(Valid with { Name = name }, "name");

    [Theory]
    [InlineData("12XB")]
    [InlineData("lots")]
    [InlineData("Mi")]
    [InlineData("")]
    public void ToRequest_BadMemory_IsAProblemWithMem(string mem) =>
        AssertOneProblem(Valid with { Mem = mem }, "mem");

    [Theory]
    [InlineData("half")]
    [InlineData("0.0001")]
    [InlineData("-1")]
    [InlineData("1.5m")]
    [InlineData("")]
    public void ToRequest_BadCpu_IsAProblemWithCpu(string cpu) =>
        AssertOneProblem(Valid with { Cpu = cpu }, "cpu");

    [Theory]
    [InlineData(-1)]
    [InlineData(6)]
    public void ToRequest_RetryOutOfRange_IsAProblemWithRetry(int retry) =>
        AssertOneProblem(Valid with { Retry = retry }, "retry");

    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public void ToRequest_GracePeriodOutOfRange_IsAProblemWithTheGracePeriod(int seconds) =>
        AssertOneProblem(Valid with { GracePeriod = seconds }, "gracePeriod");

    [Fact]
    public void ToRequest_UnknownEmailPolicy_IsAProblemWithEmails() =>
        AssertOneProblem(Valid with { Emails = "sometimes" }, "emails");

    [Fact]
    public void ToRequest_OutputFileWithNoFilelog_IsAProblem() =>
        AssertOneProblem(Valid with { NoFilelog = true, Stderr = "x.err" }, "filelog");

    [Fact]
    public void ToRequest_EmptyCommand_IsAProblemWithTheCommand() =>
        AssertOneProblem(Valid with { Command = "  " }, "command");

    [Fact]
    public void ToRequest_EmptyOutputPath_IsAProblemWithIt() =>
        AssertOneProblem(Valid with { Stdout = "" }, "filelogStdout");

    [Fact]
    public void ToRequest_ManyMistakes_ReportsEveryOneAtOnce()
    {
        var problems = new Problems();

        new JobRunInput
        {
            Name = "Bad_Name",
            Command = "",
            Mem = "12XB",
            Cpu = "lots",
            Retry = 9,
            NoFilelog = true,
            Stdout = "out.txt",
            Emails = "sometimes",
            GracePeriod = -5,
        }.ToRequest(problems);

        Assert.Equal(
            ["name", "command", "mem", "cpu", "retry", "gracePeriod", "emails", "filelog"],
            problems.Select(p => p.Field));
    }

    private static void AssertOneProblem(JobRunInput input, string field)
    {
        var problems = new Problems();

        input.ToRequest(problems);

        var problem = Assert.Single(problems);
        Assert.Equal(field, problem.Field);
        Assert.False(string.IsNullOrWhiteSpace(problem.Message));
    }
}
