using System.Text;
using Toolgrid.Core.Health;

namespace Toolgrid.Core.Tests.Health;

/// <summary>The result file a grid run's health loop writes in the tool's home: hostile input, parsed strictly.</summary>
public sealed class ScriptResultTests
{
    [Theory]
    [InlineData("0 1765000000123456789\n", 0, 1765000000123456789)]
    [InlineData("1 1765000000123456789", 1, 1765000000123456789)]
    [InlineData("124 5\n", 124, 5)]
    [InlineData("255 1\n", 255, 1)]
    public void One_line_of_an_exit_code_and_a_time_is_a_result(string content, int exitCode, long time)
    {
        Assert.Equal(new ScriptResult(exitCode, time), ScriptResult.Parse(Encoding.ASCII.GetBytes(content)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("0\n")]
    [InlineData("0 \n")]
    [InlineData(" 0 1\n")]
    [InlineData("0  1\n")]
    [InlineData("0 1\n\n")]
    [InlineData("0 1 2\n")]
    [InlineData("-1 1\n")]
    [InlineData("+0 1\n")]
    [InlineData("256 1\n")]
    [InlineData("0 0\n")]
    [InlineData("0 -5\n")]
    [InlineData("0 99999999999999999999\n")]
    [InlineData("0 1\r\n")]
    [InlineData("0x1 1\n")]
    [InlineData("٣ 1\n")]
    [InlineData("0 1\0")]
    public void Anything_else_is_no_result(string content)
    {
        Assert.Null(ScriptResult.Parse(Encoding.UTF8.GetBytes(content)));
    }

    [Fact]
    public void A_file_longer_than_a_result_can_be_is_no_result()
    {
        var content = Encoding.ASCII.GetBytes("0 1" + new string(' ', ScriptResult.MaxLength) + "\n");

        Assert.Null(ScriptResult.Parse(content));
    }

    [Fact]
    public void What_the_loop_writes_is_read_back()
    {
        var result = new ScriptResult(3, 1765000000123456789);

        Assert.Equal(result, ScriptResult.Parse(Encoding.ASCII.GetBytes(result.Format())));
    }

    [Fact]
    public void An_exit_code_says_passed_failed_or_ran_past_its_timeout()
    {
        var timeout = TimeSpan.FromSeconds(5);

        Assert.Equal(CheckResult.Pass, new ScriptResult(0, 1).ToCheckResult(timeout));
        Assert.Equal(CheckResult.Fail("the health script exited 1"), new ScriptResult(1, 1).ToCheckResult(timeout));
        Assert.Equal(CheckResult.Fail("the health script did not finish within 5 s"), new ScriptResult(124, 1).ToCheckResult(timeout));
    }

    [Fact]
    public void The_file_is_the_runs_own_hidden_name_in_the_home()
    {
        Assert.Equal("/data/tools/mytool/.toolgrid-health-42", ScriptResult.PathOf("/data/tools/mytool", 42));
    }
}
