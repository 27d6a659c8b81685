using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;

namespace Toolgrid.Controller.Tests;

/// <summary><see cref="LaunchFactory"/>: what a backend is told to start.</summary>
public sealed class LaunchFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static readonly Tool Tool = new()
    {
        Name = "mytool",
        UnixUser = "tools.mytool",
        Uid = 52001,
        Gid = 52002,
        Home = "/srv/tools/mytool",
        CreatedBy = "alice",
    };

    [Fact]
    public void Create_Environment_NamesTheToolJobAndRun_TheGridEraWay_AndAddsTheConfiguredVariables()
    {
        var factory = Factory(new() { ["TOOLGRID_API"] = "http://127.0.0.1:8080/", ["LANG"] = "C.UTF-8" });
        var job = Job();

        var launch = factory.Create(Run(job, id: 1234), job, Tool);

        Assert.Equal("mytool", launch.Environment["TOOLGRID_TOOL"]);
        Assert.Equal("fetch", launch.Environment["TOOLGRID_JOB"]);
        Assert.Equal("1234", launch.Environment["TOOLGRID_RUN"]);
        Assert.Equal("fetch", launch.Environment["JOB_NAME"]);
        Assert.Equal("1234", launch.Environment["JOB_ID"]);
        Assert.Equal("http://127.0.0.1:8080/", launch.Environment["TOOLGRID_API"]);
        Assert.Equal("C.UTF-8", launch.Environment["LANG"]);
        Assert.Equal(7, launch.Environment.Count);
    }

    [Fact]
    public void Create_CarriesThePlacedNodeAndTheRunsQueue()
    {
        var job = Job(j => j.Queue = "dedicated");

        var launch = Factory().Create(Run(job), job, Tool);

        Assert.Equal(("node7", "dedicated"), (launch.Node, launch.Queue));
    }

    [Fact]
    public void Create_RunHandedToAnEngineThatPlacesIt_HasNoNode()
    {
        var job = Job();
        var run = Run(job);
        run.Node = null;

        var launch = Factory().Create(run, job, Tool);

        Assert.Equal((null, Queues.Default), (launch.Node, launch.Queue));
    }

    [Fact]
    public void Create_ConfiguredVariableWithAPlatformName_DoesNotOverrideThePlatformsValue()
    {
        var factory = Factory(new() { ["TOOLGRID_TOOL"] = "someone-else", ["JOB_ID"] = "1" });
        var job = Job();

        var launch = factory.Create(Run(job, id: 77), job, Tool);

        Assert.Equal("mytool", launch.Environment["TOOLGRID_TOOL"]);
        Assert.Equal("77", launch.Environment["JOB_ID"]);
    }

    [Fact]
    public void Create_DefaultLogPaths_AreTheJobsOutAndErrFilesInTheHome()
    {
        var job = Job();

        var launch = Factory().Create(Run(job), job, Tool);

        Assert.Equal("/srv/tools/mytool/fetch.out", launch.StdoutPath);
        Assert.Equal("/srv/tools/mytool/fetch.err", launch.StderrPath);
        Assert.True(Path.IsPathFullyQualified(launch.StdoutPath!));
    }

    [Fact]
    public void Create_GivenLogPaths_AreAbsoluteInsideTheHome()
    {
        var job = Job(j =>
        {
            j.StdoutPath = "logs/fetch.log";
            j.StderrPath = "logs/errors/fetch.log";
        });

        var launch = Factory().Create(Run(job), job, Tool);

        Assert.Equal("/srv/tools/mytool/logs/fetch.log", launch.StdoutPath);
        Assert.Equal("/srv/tools/mytool/logs/errors/fetch.log", launch.StderrPath);
        Assert.StartsWith(Tool.Home + "/", launch.StdoutPath, StringComparison.Ordinal);
        Assert.StartsWith(Tool.Home + "/", launch.StderrPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NoFileLog_DiscardsOutput()
    {
        var job = Job(j =>
        {
            j.FileLog = false;
            j.StdoutPath = "logs/fetch.log";
        });

        var launch = Factory().Create(Run(job), job, Tool);

        Assert.Null(launch.StdoutPath);
        Assert.Null(launch.StderrPath);
    }

    [Fact]
    public void Create_CarriesTheRunsPlacementIdentityAndLimits()
    {
        var job = Job(j => j.GracePeriodSeconds = 42);
        var run = Run(job, id: 9);
        run.Command = "./as-submitted.sh";
        run.MemoryBytes = 2 * MemorySize.GiB;
        run.CpuMillis = 1250;

        var launch = Factory(maxProcesses: 100).Create(run, job, Tool);

        Assert.Equal(9, launch.RunId);
        Assert.Equal("mytool", launch.Tool);
        Assert.Equal("fetch", launch.Job);
        Assert.Equal("node7", launch.Node);
        Assert.Equal("./as-submitted.sh", launch.Command);
        Assert.Equal("tools.mytool", launch.UnixUser);
        Assert.Equal(52001, launch.Uid);
        Assert.Equal(52002, launch.Gid);
        Assert.Equal("/srv/tools/mytool", launch.Home);
        Assert.Equal(2 * MemorySize.GiB, launch.MemoryBytes);
        Assert.Equal(1250, launch.CpuMillis);
        Assert.Equal(100, launch.MaxProcesses);
        Assert.Equal(TimeSpan.FromSeconds(42), launch.GracePeriod);
    }

    [Fact]
    public async Task AddToolgridController_RunEnvironmentFromConfiguration_ReachesTheBackend()
    {
        await using var h = await ControllerHarness.CreateAsync(new Dictionary<string, string?>
        {
            ["Toolgrid:Controller:RunEnvironment:TOOLGRID_API"] = "unix:/run/toolgrid/api.sock",
            ["Toolgrid:Controller:MaxProcesses"] = "64",
        });
        await h.SubmitAsync();

        await h.StepAsync();

        var launch = Assert.Single(h.Backend.Starts);
        Assert.Equal("unix:/run/toolgrid/api.sock", launch.Environment["TOOLGRID_API"]);
        Assert.Equal(64, launch.MaxProcesses);
        Assert.Equal("/srv/tools/mytool/fetch.out", launch.StdoutPath);
    }

    private static LaunchFactory Factory(Dictionary<string, string>? environment = null, int maxProcesses = 512) =>
        new(Options.Create(new ControllerOptions
        {
            RunEnvironment = environment ?? [],
            MaxProcesses = maxProcesses,
        }));

    private static Job Job(Action<Job>? configure = null)
    {
        var job = new Job
        {
            Id = 3,
            ToolName = "mytool",
            Name = "fetch",
            Command = "./fetch.sh",
            CreatedBy = "alice",
        };
        configure?.Invoke(job);
        return job;
    }

    private static Run Run(Job job, long id = 1)
    {
        var run = NewRuns.Of(job, 1, RunReason.Submitted, Now);
        run.Id = id;
        run.Node = "node7";
        run.State = RunState.Starting;
        return run;
    }
}
