using System.Net;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.Output;

public sealed class ErrorOutputTests
{
    [Fact]
    public void Lines_FieldErrors_OneLineEachWithTheCliSpelling()
    {
        var refusal = new ToolgridApiException(HttpStatusCode.BadRequest, new ApiProblem
        {
            ErrorCode = "validation",
            Detail = "4 problems",
            Errors =
            [
                new Problem("mem", "8Gi is more than this tool's ceiling of 4Gi per job."),
                new Problem("filelogStdout", "'../x' leads outside the tool's home."),
                new Problem("filelogStderr", "the path is empty."),
                new Problem("gracePeriod", "must be between 0 and 3600 seconds."),
            ],
        });

        Assert.Equal(
            [
                "toolgrid: error: --mem: 8Gi is more than this tool's ceiling of 4Gi per job.",
                "toolgrid: error: -o: '../x' leads outside the tool's home.",
                "toolgrid: error: -e: the path is empty.",
                "toolgrid: error: --grace-period: must be between 0 and 3600 seconds.",
            ],
            ErrorOutput.Lines(refusal));
    }

    [Fact]
    public void Lines_FieldsNamedInAMessage_AreTheFlagsToFix()
    {
        var refusal = new ToolgridApiException(HttpStatusCode.BadRequest, new ApiProblem
        {
            ErrorCode = "validation",
            Errors =
            [
                new Problem("restart", "a restart policy is for continuous jobs: add `continuous`."),
                new Problem("filelog", "output files were given but file logging is off: drop `filelog`, or drop `filelogStdout` and `filelogStderr`."),
            ],
        });

        Assert.Equal(
            [
                "toolgrid: error: --restart: a restart policy is for continuous jobs: add --continuous.",
                "toolgrid: error: --no-filelog: output files were given but file logging is off: drop --no-filelog, or drop -o and -e.",
            ],
            ErrorOutput.Lines(refusal));
    }

    [Fact]
    public void Lines_NoFieldErrors_IsTheDetail()
    {
        var refusal = new ToolgridApiException(HttpStatusCode.NotFound, new ApiProblem { ErrorCode = "job-not-found", Detail = "tool mytool has no job named fetch." });

        Assert.Equal(["toolgrid: error: tool mytool has no job named fetch."], ErrorOutput.Lines(refusal));
    }

    [Fact]
    public void Lines_ServerError_CarriesTheTraceId()
    {
        var refusal = new ToolgridApiException(HttpStatusCode.InternalServerError, new ApiProblem { Title = "An error occurred.", TraceId = "00-abc" });

        Assert.Equal(["toolgrid: error: An error occurred. (trace id 00-abc)"], ErrorOutput.Lines(refusal));
    }

    [Fact]
    public void Lines_UnauthenticatedOverHttp_SaysHowToGetAToken()
    {
        var refusal = new ToolgridApiException(HttpStatusCode.Unauthorized, new ApiProblem { ErrorCode = "unauthenticated", Detail = "no valid token." });

        var lines = ErrorOutput.Lines(refusal, ApiAddress.Http(new Uri("http://127.0.0.1:8470")));

        Assert.Equal(2, lines.Count);
        Assert.Contains("TOOLGRID_TOKEN", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maxMemory", "--max-mem")]
    [InlineData("maxCpu", "--max-cpu")]
    [InlineData("maxJobs", "--max-jobs")]
    [InlineData("filelog", "--no-filelog")]
    [InlineData("expiresInDays", "--expires-in-days")]
    [InlineData("cpu", "--cpu")]
    [InlineData("mem", "--mem")]
    [InlineData("filelogStdout", "-o")]
    [InlineData("gracePeriod", "--grace-period")]
    [InlineData("name", "name")]
    [InlineData("user", "user")]
    public void CliFields_NameTheFlagToFix(string field, string expected) =>
        Assert.Equal(expected, CliFields.Of(field));
}
