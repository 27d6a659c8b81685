using Toolgrid.Cli.Api;
using Toolgrid.Cli.Commands.Jobs;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.Commands;

public sealed class JobLogsCommandTests
{
    [Fact]
    public void ToQuery_ShortFlags_BecomeTheQuery()
    {
        var (parse, command) = TestCommandLine.Parse<JobLogsCommand>("jobs", "logs", "bot", "-f", "-n", "20", "--stream", "stderr");
        var problems = new Problems();

        var query = command.ToQuery(parse, problems);

        Assert.Empty(problems);
        Assert.Equal(new LogQuery("stderr", 20, Follow: true), query);
    }

    [Fact]
    public void ToQuery_NothingGiven_LeavesTheApisDefaults()
    {
        var (parse, command) = TestCommandLine.Parse<JobLogsCommand>("jobs", "logs", "bot");

        Assert.Equal(new LogQuery(), command.ToQuery(parse, new Problems()));
    }

    [Fact]
    public void ToQuery_BadStreamLinesAndName_AreAllReported()
    {
        var (parse, command) = TestCommandLine.Parse<JobLogsCommand>("jobs", "logs", "Bot", "--stream", "both", "--lines", "-3");
        var problems = new Problems();

        command.ToQuery(parse, problems);

        Assert.Equal(["name", "stream", "lines"], problems.Select(p => p.Field));
    }
}
