using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Limits;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class JobRulesTests
{
    private static readonly string[] SiteQueues = ["default", "bigmem", "gpu2"];

    /// <summary>The dedicated queues the sample tool was granted.</summary>
    private static readonly string[] Granted = ["bigmem"];

    private static readonly JobRunRequest Minimal = new() { Name = "fetch", Command = "./fetch.sh --all" };

    private static (Job? Job, Problems Problems) Build(JobRunRequest request, Core.Tools.Tool? tool = null, JobLimits? limits = null)
    {
        var problems = new Problems();
        var job = JobRules.Build(request, tool ?? Sample.Tool(), limits ?? new JobLimits(), new JobSite(SiteQueues, Granted: Granted), "alice", Sample.Now, problems);
        return (job, problems);
    }

    private static Problem SingleProblem(JobRunRequest request, string field, Core.Tools.Tool? tool = null)
    {
        var (job, problems) = Build(request, tool);
        Assert.Null(job);
        var problem = Assert.Single(problems);
        Assert.Equal(field, problem.Field);
        return problem;
    }

    [Fact]
    public void Build_NameAndCommandOnly_TakesTheSiteDefaults()
    {
        var (job, problems) = Build(Minimal);

        Assert.Empty(problems);
        Assert.NotNull(job);
        Assert.Equal("mytool", job.ToolName);
        Assert.Equal("fetch", job.Name);
        Assert.Equal(JobKind.OneOff, job.Kind);
        Assert.Equal("./fetch.sh --all", job.Command);
        Assert.Equal(512 * MemorySize.MiB, job.MemoryBytes);
        Assert.Equal(500, job.CpuMillis);
        Assert.Equal(0, job.Retry);
        Assert.Equal("default", job.Queue);
        Assert.Equal(EmailPolicy.None, job.Emails);
        Assert.True(job.FileLog);
        Assert.Equal("fetch.out", job.EffectiveStdoutPath);
        Assert.Equal("fetch.err", job.EffectiveStderrPath);
        Assert.Equal(15, job.GracePeriodSeconds);
        Assert.Equal("alice", job.CreatedBy);
        Assert.Equal(Sample.Now, job.CreatedAt);
        Assert.Equal(Sample.Now, job.UpdatedAt);
        Assert.Null(job.DeletedAt);
    }

    [Fact]
    public void Build_EveryFieldGiven_KeepsThem()
    {
        var request = new JobRunRequest
        {
            Name = "digest",
            Command = "./digest.sh",
            Mem = "1Gi",
            Cpu = "250m",
            Retry = 3,
            Filelog = true,
            FilelogStdout = "logs/digest.log",
            FilelogStderr = "/srv/tools/mytool/logs/./digest.errors",
            GracePeriod = 60,
            Queue = "bigmem",
            Emails = "OnFailure",
        };

        var (job, problems) = Build(request);

        Assert.Empty(problems);
        Assert.NotNull(job);
        Assert.Equal(MemorySize.GiB, job.MemoryBytes);
        Assert.Equal(250, job.CpuMillis);
        Assert.Equal(3, job.Retry);
        Assert.Equal("bigmem", job.Queue);
        Assert.Equal(EmailPolicy.OnFailure, job.Emails);
        Assert.Equal("logs/digest.log", job.EffectiveStdoutPath);
        Assert.Equal("logs/digest.errors", job.EffectiveStderrPath);
        Assert.Equal(60, job.GracePeriodSeconds);
    }

    [Fact]
    public void Build_FilelogOff_DiscardsOutput()
    {
        var (job, problems) = Build(Minimal with { Filelog = false });

        Assert.Empty(problems);
        Assert.NotNull(job);
        Assert.False(job.FileLog);
        Assert.Null(job.EffectiveStdoutPath);
        Assert.Null(job.EffectiveStderrPath);
    }

    [Theory]
    [InlineData("none", EmailPolicy.None)]
    [InlineData("onfailure", EmailPolicy.OnFailure)]
    [InlineData("on-failure", EmailPolicy.OnFailure)]
    [InlineData("onfinish", EmailPolicy.OnFinish)]
    [InlineData("ALL", EmailPolicy.All)]
    public void Build_Emails_AreParsed(string emails, EmailPolicy expected)
    {
        var (job, _) = Build(Minimal with { Emails = emails });

        Assert.Equal(expected, job?.Emails);
    }

    [Theory]
    [InlineData(null, "a job name is required")]
    [InlineData("Fetch", "is not a valid job name")]
    [InlineData("fetch_all", "is not a valid job name")]
    public void Build_BadName_IsRefused(string? name, string why) =>
        Assert.Contains(why, SingleProblem(Minimal with { Name = name }, "name").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(null, "a command is required")]
    [InlineData("", "a command is required")]
    [InlineData("   ", "a command is required")]
    [InlineData("./a\0b", "NUL")]
    public void Build_BadCommand_IsRefused(string? command, string why) =>
        Assert.Contains(why, SingleProblem(Minimal with { Command = command }, "command").Message, StringComparison.Ordinal);

    [Fact]
    public void Build_CommandLongerThan8192_SaysToUseAScript()
    {
        Assert.NotNull(Build(Minimal with { Command = new string('x', 8192) }).Job);

        var message = SingleProblem(Minimal with { Command = new string('x', 8193) }, "command").Message;

        Assert.Contains("8193 characters long; at most 8192", message, StringComparison.Ordinal);
        Assert.Contains("script", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lots", "unknown unit")]
    [InlineData("", "a memory size is required")]
    [InlineData("-1Gi", "is not a memory size")]
    [InlineData("5Gi", "more than this tool's ceiling of 4Gi per job; ask an admin to raise it")]
    [InlineData("4097Mi", "more than this tool's ceiling of 4Gi")]
    [InlineData("15Mi", "less than the least a job may have, 16Mi.")]
    [InlineData("512", "less than the least a job may have, 16Mi; did you mean 512Mi?")]
    [InlineData("0", "less than the least a job may have")]
    public void Build_BadMemory_IsRefused(string mem, string why) =>
        Assert.Contains(why, SingleProblem(Minimal with { Mem = mem }, "mem").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("0", "0 is less than the least a job may have, 16Mi.")]
    [InlineData("1Ki", "1Ki is less than the least a job may have, 16Mi.")]
    [InlineData("8", "8 is less than the least a job may have, 16Mi.")]
    [InlineData("5000", "5000 is less than the least a job may have, 16Mi.")]
    [InlineData("512", "512 is less than the least a job may have, 16Mi; did you mean 512Mi?")]
    [InlineData("1.5", "1.5 is less than the least a job may have, 16Mi.")]
    public void Build_TooLittleMemory_SuggestsMiOnlyWhereThatWouldBeValid(string mem, string message) =>
        Assert.Equal(message, SingleProblem(Minimal with { Mem = mem }, "mem").Message);

    [Theory]
    [InlineData("4Gi")]
    [InlineData("16Mi")]
    [InlineData("4096m")]
    public void Build_MemoryAtTheLimits_IsAccepted(string mem) =>
        Assert.NotNull(Build(Minimal with { Mem = mem }).Job);

    [Theory]
    [InlineData("abc", "is not a CPU quantity")]
    [InlineData("0.0001", "finer than a thousandth")]
    [InlineData("1.5m", "whole number")]
    [InlineData("1.001", "more than this tool's ceiling of 1 per job; ask an admin")]
    [InlineData("2", "more than this tool's ceiling of 1 per job")]
    [InlineData("9m", "less than the least a job may have, 0.01 CPU.")]
    [InlineData("0", "less than the least a job may have")]
    public void Build_BadCpu_IsRefused(string cpu, string why) =>
        Assert.Contains(why, SingleProblem(Minimal with { Cpu = cpu }, "cpu").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("1")]
    [InlineData("10m")]
    [InlineData("1000m")]
    public void Build_CpuAtTheLimits_IsAccepted(string cpu) =>
        Assert.NotNull(Build(Minimal with { Cpu = cpu }).Job);

    [Theory]
    [InlineData(-1)]
    [InlineData(6)]
    [InlineData(int.MaxValue)]
    public void Build_RetryOutOfRange_SaysTheRange(int retry) =>
        Assert.Equal(
            $"retry must be between 0 and 5; got {retry}.",
            SingleProblem(Minimal with { Retry = retry }, "retry").Message);

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Build_RetryAtTheLimits_IsAccepted(int retry) =>
        Assert.Equal(retry, Build(Minimal with { Retry = retry }).Job?.Retry);

    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public void Build_GracePeriodOutOfRange_SaysTheRange(int grace) =>
        Assert.Equal(
            $"the grace period must be between 0 and 3600 seconds; got {grace}.",
            SingleProblem(Minimal with { GracePeriod = grace }, "gracePeriod").Message);

    [Theory]
    [InlineData(0)]
    [InlineData(3600)]
    public void Build_GracePeriodAtTheLimits_IsAccepted(int grace) =>
        Assert.Equal(grace, Build(Minimal with { GracePeriod = grace }).Job?.GracePeriodSeconds);

    [Fact]
    public void Build_UnknownQueue_SaysWhichQueuesTheToolMayUse() =>
        Assert.Equal(
            "there is no queue named 'gpu' ('toolgrid queues list' shows them); tool 'mytool' may use: default, bigmem.",
            SingleProblem(Minimal with { Queue = "gpu" }, "queue").Message);

    [Fact]
    public void Build_QueueNotGrantedToTheTool_IsRefusedWithHowToAsk() =>
        Assert.Equal(
            "tool 'mytool' may not use queue 'gpu2'; it may use: default, bigmem. A maintainer of the tool can ask an admin for it: toolgrid queues request gpu2 --tool mytool --reason \"what the tool needs it for\".",
            SingleProblem(Minimal with { Queue = "gpu2" }, "queue").Message);

    [Fact]
    public void Build_DedicatedQueueOnASiteWithNoGrants_IsRefused()
    {
        var problems = new Problems();
        var job = JobRules.Build(Minimal with { Queue = "bigmem" }, Sample.Tool(), new JobLimits(), new JobSite(SiteQueues), "alice", Sample.Now, problems);

        Assert.Null(job);
        Assert.Contains("may not use queue 'bigmem'", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Default")]
    [InlineData("a b")]
    [InlineData("-default")]
    public void Build_MalformedQueue_IsRefused(string queue) =>
        Assert.Contains("is not a valid queue name", SingleProblem(Minimal with { Queue = queue }, "queue").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("sometimes")]
    [InlineData("")]
    [InlineData("on failure")]
    public void Build_UnknownEmailPolicy_ListsThePolicies(string emails) =>
        Assert.Contains(
            "is not an email policy: use none, onfailure, onfinish or all.",
            SingleProblem(Minimal with { Emails = emails }, "emails").Message,
            StringComparison.Ordinal);

    [Theory]
    [InlineData("../other/x.out")]
    [InlineData("/etc/passwd")]
    [InlineData("/srv/tools/mytoolbar/x.out")]
    public void Build_StdoutOutsideTheHome_IsRefused(string path) =>
        Assert.Contains("leads outside the tool's home (/srv/tools/mytool)", SingleProblem(Minimal with { FilelogStdout = path }, "filelogStdout").Message, StringComparison.Ordinal);

    [Fact]
    public void Build_StderrWithControlCharacters_IsRefused() =>
        Assert.Equal("the path holds control characters.", SingleProblem(Minimal with { FilelogStderr = "x\n.err" }, "filelogStderr").Message);

    [Theory]
    [InlineData("x.out", null)]
    [InlineData(null, "x.err")]
    public void Build_OutputFilesWithFilelogOff_SaysWhichToDrop(string? stdout, string? stderr) =>
        Assert.Equal(
            "output files were given but file logging is off: drop `filelog`, or drop `filelogStdout` and `filelogStderr`.",
            SingleProblem(Minimal with { Filelog = false, FilelogStdout = stdout, FilelogStderr = stderr }, "filelog").Message);

    [Fact]
    public void Build_ManyBadFields_ReportsEveryProblemAtOnce()
    {
        var request = new JobRunRequest
        {
            Name = "Bad_Name",
            Command = "",
            Mem = "8Gi",
            Cpu = "abc",
            Retry = 9,
            Filelog = false,
            FilelogStdout = "../escape.out",
            FilelogStderr = "/etc/shadow",
            GracePeriod = -5,
            Queue = "nope",
            Emails = "always",
        };

        var (job, problems) = Build(request);

        Assert.Null(job);
        Assert.Equal(
            ["name", "command", "mem", "cpu", "retry", "gracePeriod", "queue", "emails", "filelogStdout", "filelogStderr", "filelog"],
            problems.Select(p => p.Field));
    }

    [Fact]
    public void Build_ProblemsFoundBefore_AreKeptAndDoNotBlockAGoodRequest()
    {
        var problems = new Problems();
        problems.Add("tool", "something earlier");

        var job = JobRules.Build(Minimal, Sample.Tool(), new JobLimits(), new JobSite(SiteQueues), "alice", Sample.Now, problems);

        Assert.NotNull(job);
        Assert.Equal("tool", Assert.Single(problems).Field);
    }

    [Fact]
    public void Build_ToolWithRaisedCeilings_MayAskForMore()
    {
        var tool = Sample.Tool();
        tool.MaxMemoryBytes = 8 * MemorySize.GiB;
        tool.MaxCpuMillis = 2000;

        var (job, problems) = Build(Minimal with { Mem = "8Gi", Cpu = "2" }, tool);

        Assert.Empty(problems);
        Assert.Equal(8 * MemorySize.GiB, job?.MemoryBytes);
        Assert.Equal(2000, job?.CpuMillis);
    }

    [Fact]
    public void Build_ToolWithRaisedCeilings_SaysItsOwnCeilingWhenPassed()
    {
        var tool = Sample.Tool();
        tool.MaxMemoryBytes = 8 * MemorySize.GiB;
        tool.MaxCpuMillis = 2000;

        var (_, problems) = Build(Minimal with { Mem = "9Gi", Cpu = "3" }, tool);

        Assert.Collection(
            problems,
            p => Assert.Contains("ceiling of 8Gi", p.Message, StringComparison.Ordinal),
            p => Assert.Contains("ceiling of 2 per job", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_SiteWithOtherDefaults_UsesThem()
    {
        var limits = new JobLimits { DefaultMemoryBytes = MemorySize.GiB, DefaultCpuMillis = 250, MaxRetry = 1 };

        var (job, _) = Build(Minimal, limits: limits);
        var (_, problems) = Build(Minimal with { Retry = 2 }, limits: limits);

        Assert.Equal(MemorySize.GiB, job?.MemoryBytes);
        Assert.Equal(250, job?.CpuMillis);
        Assert.Equal("retry must be between 0 and 1; got 2.", Assert.Single(problems).Message);
    }

    [Fact]
    public void FixedPortHolder_IsAnotherLiveJobWithTheSamePortOnAnyTool_NeverTheJobItself()
    {
        static Job Serving(string tool, string name, int? port, bool deleted = false)
        {
            var job = Sample.Job(tool: tool, name: name);
            job.UsesPort = true;
            job.FixedPort = port;
            job.DeletedAt = deleted ? Sample.Now : null;
            return job;
        }

        var web = Serving("mytool", "web", 8000);
        var other = Serving("other", "site", 8000);

        Assert.Same(other, JobRules.FixedPortHolder(web, [Serving("mytool", "web", 8000), Serving("old", "gone", 8000, deleted: true), Serving("any", "assigned", null), other]));
        Assert.Null(JobRules.FixedPortHolder(web, [Serving("mytool", "web", 8000), Serving("old", "gone", 8000, deleted: true), Serving("x", "y", 8001)]));
        Assert.Null(JobRules.FixedPortHolder(Serving("mytool", "assigned", null), [Serving("any", "assigned", null)]));
    }

    [Fact]
    public void ParseMemoryCeiling_AboveTheSiteCeiling_IsARaise()
    {
        var problems = new Problems();

        var bytes = JobRules.ParseMemoryCeiling("16Gi", new JobLimits(), problems);

        Assert.Empty(problems);
        Assert.Equal(16 * MemorySize.GiB, bytes);
    }

    [Theory]
    [InlineData("1Mi", "less than the least a job may have, 16Mi")]
    [InlineData("lots", "")]
    public void ParseMemoryCeiling_BelowTheLeastOrNotASize_IsRefused(string text, string why)
    {
        var problems = new Problems();

        JobRules.ParseMemoryCeiling(text, new JobLimits(), problems);

        var problem = Assert.Single(problems);
        Assert.Equal("maxMemory", problem.Field);
        Assert.Contains(why, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8", 8)]
    [InlineData("0", null)]
    [InlineData("10001", null)]
    [InlineData("many", null)]
    public void ParseJobsCeiling_IsANumberFromOneTo10000(string text, int? expected)
    {
        var problems = new Problems();

        Assert.Equal(expected, JobRules.ParseJobsCeiling(text, problems));
        Assert.Equal(expected is null ? 1 : 0, problems.Count);
    }
    [Theory]
    [InlineData("gridengine")]
    [InlineData("slurm")]
    public void Build_OnAGridBackend_TakesAHealthCheckScript(string backend)
    {
        var problems = new Problems();
        var request = Minimal with { Continuous = true, HealthCheckScript = "./check.sh" };

        var job = JobRules.Build(request, Sample.Tool(), new JobLimits(), new JobSite(SiteQueues, Abilities: Core.Backends.BackendAbilities.Grid(backend)), "alice", Sample.Now, problems);

        Assert.Empty(problems);
        Assert.Equal("./check.sh", job?.HealthCheckScript);
    }

    [Fact]
    public void Build_OnABackendWithoutScriptChecks_RefusesAHealthCheckScriptAndSaysWhatWorks()
    {
        var problems = new Problems();
        var request = Minimal with { Continuous = true, Port = 0, HealthCheckScript = "./check.sh" };
        var abilities = new Core.Backends.BackendAbilities("othergrid", Interactive: false, ScriptChecks: false);

        var job = JobRules.Build(request, Sample.Tool(), new JobLimits(), new JobSite(SiteQueues, Abilities: abilities), "alice", Sample.Now, problems);

        Assert.Null(job);
        var problem = Assert.Single(problems);
        Assert.Equal("healthCheckScript", problem.Field);
        Assert.Contains("the othergrid backend cannot run health check scripts", problem.Message, StringComparison.Ordinal);
        Assert.Contains("`health-check-http`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OnABackendWithoutShells_RefusesAnInteractiveJobAndSaysWhatWorks()
    {
        var problems = new Problems();

        var job = JobRules.Build(Minimal, Sample.Tool(), new JobLimits(), new JobSite(SiteQueues, Abilities: Core.Backends.BackendAbilities.Grid("othergrid", interactive: false)), "alice", Sample.Now, problems, interactive: true);

        Assert.Null(job);
        var problem = Assert.Single(problems);
        Assert.Equal("interactive", problem.Field);
        Assert.Contains("the othergrid backend cannot run interactive jobs", problem.Message, StringComparison.Ordinal);
        Assert.Contains("toolgrid jobs run NAME --command CMD --wait", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OnAGridBackend_TakesOneOffScheduledContinuousJobsAndWebServicesCheckedOverHttp()
    {
        var grid = new JobSite(SiteQueues, Abilities: Core.Backends.BackendAbilities.Grid("gridengine"));
        JobRunRequest[] requests =
        [
            Minimal with { Timeout = "30s" },
            Minimal with { Schedule = "*/5 * * * *" },
            Minimal with { Continuous = true, Replicas = 2 },
            Minimal with { Continuous = true, Port = 0, Replicas = 2 },
            Minimal with { Continuous = true, Port = 8080 },
            Minimal with { Continuous = true, Port = 0, HealthCheckHttp = "/healthz" },
        ];

        foreach (var request in requests)
        {
            var problems = new Problems();
            Assert.NotNull(JobRules.Build(request, Sample.Tool(), new JobLimits(), grid, "alice", Sample.Now, problems));
            Assert.Empty(problems);
        }
    }

    [Fact]
    public void Build_OnTheLocalBackend_TakesAnInteractiveJobAndAWebService()
    {
        var problems = new Problems();

        var shell = JobRules.Build(Minimal, Sample.Tool(), new JobLimits(), new JobSite(SiteQueues), "alice", Sample.Now, problems, interactive: true);
        var served = JobRules.Build(Minimal with { Name = "web", Continuous = true, Port = 0, HealthCheckHttp = "/" }, Sample.Tool(), new JobLimits(), new JobSite(SiteQueues), "alice", Sample.Now, problems);

        Assert.Empty(problems);
        Assert.True(shell!.Interactive);
        Assert.True(served!.UsesPort);
    }
}
